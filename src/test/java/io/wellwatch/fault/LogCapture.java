package io.wellwatch.fault;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.List;

/** Collects what one real logger of WellWatch writes while a test runs, as "LEVEL message" lines. */
public class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String loggerName;

    public LogCapture(String loggerName) {
        super("log-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
        start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = config.getLoggerConfig(loggerName);
        if (!logger.getName().equals(loggerName)) {
            logger = new LoggerConfig(loggerName, Level.INFO, true);
            config.addLogger(loggerName, logger);
        }
        logger.setLevel(Level.INFO);
        logger.addAppender(this, Level.INFO, null);
        context.updateLoggers();
    }

    @Override
    public synchronized void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().getLoggerConfig(loggerName).removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
