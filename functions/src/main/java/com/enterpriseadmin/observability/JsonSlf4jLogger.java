package com.enterpriseadmin.observability;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One SLF4J logger of {@link JsonSlf4jProvider}: WARN and ERROR go to {@link Log} as one JSON line
 * (with the logger name and the formatted message); everything below WARN is disabled, so the
 * {@code is*Enabled()} checks of {@code AbstractLogger} drop it before any formatting.
 */
final class JsonSlf4jLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    JsonSlf4jLogger(String name) {
        this.name = name;
    }

    @Override public boolean isTraceEnabled() { return false; }

    @Override public boolean isDebugEnabled() { return false; }

    @Override public boolean isInfoEnabled() { return false; }

    @Override public boolean isWarnEnabled() { return true; }

    @Override public boolean isErrorEnabled() { return true; }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        if (level != Level.WARN && level != Level.ERROR) {
            return; // the fluent API (atInfo().log()) checks the level too; this is a second guard
        }
        String message = arguments == null || arguments.length == 0
                ? messagePattern
                : MessageFormatter.basicArrayFormat(messagePattern, arguments);
        Log.library(level.name(), name, message, throwable);
    }
}
