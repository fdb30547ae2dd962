package com.enterpriseadmin.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider of the function jar: the AWS SDK v2 (and any other library) logs through
 * SLF4J, and its WARN and ERROR records become lines of our own JSON log ({@link Log}: same fields,
 * same per-invocation context, event {@code library-log}); TRACE, DEBUG and INFO are disabled, so
 * the SDK's {@code isDebugEnabled()} guards skip them before any message is built.
 *
 * <p>Why our own provider rather than a library: {@code slf4j-simple} writes plain text to stderr,
 * not JSON; Logback or Log4j 2 with a JSON layout add one to several MB to the Lambda jar and a
 * configuration parse to every cold start, for what is here a fixed "WARN and above, as JSON"
 * rule; Powertools for AWS Lambda logging sits on top of one of those. This class plus
 * {@link JsonSlf4jLogger} are about 4 KB of bytecode on top of {@code slf4j-api}, which the SDK
 * already brings, and {@link Log} is loaded only when a library first warns. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}.
 */
public final class JsonSlf4jProvider implements SLF4JServiceProvider {
    /** The SLF4J API generation this provider is written against. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, JsonSlf4jLogger::new);
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    /** No MDC: the invocation context lives in {@link Log}'s own thread-local context. */
    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new NOPMDCAdapter();
    }
}
