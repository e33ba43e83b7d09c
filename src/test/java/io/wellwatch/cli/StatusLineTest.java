package io.wellwatch.cli;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.core.WellStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    private static final Assessment LEARNING = new Assessment("W", Instant.parse("2017-02-01T02:00:00Z"), DataState.NORMAL,
            RiskLevel.NORMAL, Double.NaN, Double.NaN, 0, "DHSV=1", 150, 150, null, "", false);

    private static WellStatus status(boolean training, String trainingProblem) {
        return new WellStatus(LEARNING, 150, 0, 0, training, "", true, null, 150, null, trainingProblem);
    }

    @Test
    void aFailedTrainingIsShownOnTheConsoleNotOnlyInTheLog() {
        assertThat(StatusLine.format("W", status(false, "training v1 failed: OutOfMemoryError, see log")))
                .contains("learning").endsWith("(training v1 failed: OutOfMemoryError, see log)");
    }

    @Test
    void whileTrainingOrWithoutProblemNothingIsAdded() {
        assertThat(StatusLine.format("W", status(true, "training v1 failed: OutOfMemoryError, see log")))
                .contains("training a model").doesNotContain("failed");
        assertThat(StatusLine.format("W", status(false, ""))).doesNotContain("failed").doesNotContain("skipped");
    }
}
