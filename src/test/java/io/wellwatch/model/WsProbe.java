package io.wellwatch.model;
import io.wellwatch.core.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.*;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import java.lang.management.ManagementFactory;
public class WsProbe {
    static long alloc() { return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(Thread.currentThread().getId()); }
    public static void main(String[] a) {
        double[][] train = SyntheticWell.rows(0, 200, 1);
        TrainedForecaster tf = new Dl4jForecasterFactory().train(train, new TrainingSettings(20, 32, 1, 32, 1e-3, 1));
        MultiLayerNetwork net = ((Dl4jLstmForecaster) tf.forecaster()).network();
        INDArray in = Nd4j.zeros(DataType.FLOAT, 1, 3, 1);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(0).overallocationLimit(0.5)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE).build();
        for (int variant = 0; variant < 2; variant++) {
            for (int rep = 0; rep < 2; rep++) {
                net.rnnClearPreviousState();
                int n = 5000;
                long a0 = alloc(), t0 = System.nanoTime();
                double sink = 0;
                for (int i = 0; i < n; i++) {
                    in.putScalar(0, i % 3, 0, 0.001 * (i % 7));
                    if (variant == 0) {
                        INDArray out = net.rnnTimeStep(in);
                        sink += out.getDouble(0, 0, 0);
                    } else {
                        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "WW_STEP")) {
                            INDArray out = net.rnnTimeStep(in, ws);
                            sink += out.getDouble(0, 0, 0);
                        }
                    }
                }
                System.out.printf("variant %d: %.3f ms/step, %d bytes/step (%f)%n", variant, (System.nanoTime() - t0) / 1e6 / n, (alloc() - a0) / n, sink);
            }
        }
    }
}
