package io.wellwatch.core;

/**
 * A training handed to the training executor, named so that one dropped at shutdown before it
 * started can still be reported (an announced training must end with an outcome in the log).
 */
public record TrainingJob(String description, Runnable body) implements Runnable {

    @Override
    public void run() {
        body.run();
    }
}
