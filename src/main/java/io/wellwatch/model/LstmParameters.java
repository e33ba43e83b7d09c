package io.wellwatch.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters (or gradients) of our {@code LSTM -> RnnOutputLayer} network as one flat, row-major
 * {@code float[]}, in DL4J's parameter names and shapes (see {@link LstmStepper} for the gate layout):
 * {@code 0_W} [inputs, 4 units], {@code 0_RW} [units, 4 units], {@code 0_b} [4 units],
 * {@code 1_W} [units, outputs], {@code 1_b} [outputs]. Row-major so that the trainer's inner loops run
 * over contiguous gate rows; the flat array lets Adam treat every parameter in one loop, as DL4J's
 * single updater block does.
 */
final class LstmParameters {

    /** DL4J parameter keys in the order of the flat array. */
    static final String[] KEYS = {"0_W", "0_RW", "0_b", "1_W", "1_b"};

    final int inputs;
    final int units;
    final int outputs;
    /** Offsets of the five parameters in {@link #data}. */
    final int w;
    final int rw;
    final int b;
    final int outW;
    final int outB;
    final float[] data;

    LstmParameters(int inputs, int units, int outputs) {
        this.inputs = inputs;
        this.units = units;
        this.outputs = outputs;
        int gates = 4 * units;
        this.w = 0;
        this.rw = w + inputs * gates;
        this.b = rw + units * gates;
        this.outW = b + gates;
        this.outB = outW + units * outputs;
        this.data = new float[outB + outputs];
    }

    /** A zeroed array of the network's shape; the network must be our architecture (checked by {@link LstmStepper}). */
    static LstmParameters shapeOf(MultiLayerNetwork net) {
        INDArray w = net.getParam("0_W");
        INDArray outW = net.getParam("1_W");
        return new LstmParameters((int) w.size(0), (int) outW.size(0), (int) outW.size(1));
    }

    /** The network's current parameters. */
    static LstmParameters readFrom(MultiLayerNetwork net) {
        LstmParameters p = shapeOf(net);
        for (String key : KEYS) {
            p.read(key, net.getParam(key));
        }
        return p;
    }

    /** Copies a DL4J array of parameter {@code key} (a parameter or its gradient) into this array. */
    void read(String key, INDArray a) {
        int rows = rows(key);
        int cols = columns(key);
        if (a.length() != (long) rows * cols) {
            throw new IllegalArgumentException(key + " has " + a.length() + " values, expected " + rows * cols);
        }
        float[] values = a.reshape(a.ordering(), rows, cols).dup('c').data().asFloat();
        System.arraycopy(values, 0, data, offset(key), values.length);
    }

    /** Writes these values into the network's parameters (in place, through DL4J's parameter views). */
    void writeTo(MultiLayerNetwork net) {
        for (String key : KEYS) {
            INDArray view = net.getParam(key);
            try (INDArray values = toArray(key).reshape(view.shape())) {
                view.assign(values);
            }
        }
    }

    /** Parameter {@code key} as a new [rows, columns] float array. */
    INDArray toArray(String key) {
        int rows = rows(key);
        int cols = columns(key);
        float[] values = new float[rows * cols];
        System.arraycopy(data, offset(key), values, 0, values.length);
        return Nd4j.create(values, new long[] {rows, cols}, DataType.FLOAT);
    }

    int offset(String key) {
        return switch (key) {
            case "0_W" -> w;
            case "0_RW" -> rw;
            case "0_b" -> b;
            case "1_W" -> outW;
            case "1_b" -> outB;
            default -> throw new IllegalArgumentException("unknown parameter " + key);
        };
    }

    int rows(String key) {
        return switch (key) {
            case "0_W" -> inputs;
            case "0_RW", "1_W" -> units;
            case "0_b", "1_b" -> 1;
            default -> throw new IllegalArgumentException("unknown parameter " + key);
        };
    }

    int columns(String key) {
        return switch (key) {
            case "0_W", "0_RW", "0_b" -> 4 * units;
            case "1_W", "1_b" -> outputs;
            default -> throw new IllegalArgumentException("unknown parameter " + key);
        };
    }
}
