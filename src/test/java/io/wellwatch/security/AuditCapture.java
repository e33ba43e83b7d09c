package io.wellwatch.security;

import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the lines of the real audit logger while a test runs. */
final class AuditCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    AuditCapture() {
        super("audit-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = config.getLoggerConfig(Audit.LOGGER_NAME);
        if (!logger.getName().equals(Audit.LOGGER_NAME)) {
            logger = new LoggerConfig(Audit.LOGGER_NAME, Level.INFO, true);
            config.addLogger(Audit.LOGGER_NAME, logger);
        }
        logger.setLevel(Level.INFO);
        logger.addAppender(this, Level.INFO, null);
        context.updateLoggers();
    }

    @Override
    public synchronized void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().getLoggerConfig(Audit.LOGGER_NAME).removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
