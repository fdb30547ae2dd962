package com.enterpriseadmin.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout (Lambda ships stdout to CloudWatch Logs). The per-invocation
 * context (request id, org id, actor) is thread-local and cleared at the start of every call, so
 * nothing leaks from one invocation to the next. Never log tokens, passwords or request bodies.
 */
public final class Log {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(LinkedHashMap::new);
    private static volatile PrintStream out = System.out;

    private Log() {}

    /** Starts a new invocation: forgets everything the previous one put in the context. */
    public static void begin(String function, String requestId) {
        Map<String, String> ctx = CONTEXT.get();
        ctx.clear();
        put("function", function);
        put("requestId", requestId);
    }

    /** This thread's context, to carry into the threads it starts for the same invocation ({@link #adopt}). */
    public static Map<String, String> context() {
        return Map.copyOf(CONTEXT.get());
    }

    /** Takes the context of the invocation this thread works for (a batch's rows). */
    public static void adopt(Map<String, String> context) {
        Map<String, String> ctx = CONTEXT.get();
        ctx.clear();
        ctx.putAll(context);
    }

    public static void put(String key, String value) {
        if (value != null) {
            CONTEXT.get().put(key, value);
        }
    }

    public static void info(String event, Object... keyValues) { write("INFO", event, null, keyValues); }

    public static void warn(String event, Object... keyValues) { write("WARN", event, null, keyValues); }

    public static void error(String event, Throwable error, Object... keyValues) { write("ERROR", event, error, keyValues); }

    /**
     * A record a library logged through SLF4J ({@link JsonSlf4jProvider}, WARN and ERROR only): the
     * same line as ours, event {@code library-log}, with the logger's name and the formatted message.
     */
    static void library(String level, String logger, String message, Throwable error) {
        write(level, "library-log", error, "logger", logger, "message", message);
    }

    /** For tests: capture what would be written. */
    public static void redirect(PrintStream stream) { out = stream; }

    private static void write(String level, String event, Throwable error, Object... keyValues) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        CONTEXT.get().forEach(line::put);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.set(String.valueOf(keyValues[i]), MAPPER.valueToTree(keyValues[i + 1]));
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            StackTraceElement[] trace = error.getStackTrace();
            if (trace.length > 0) {
                line.put("errorAt", trace[0].toString());
            }
        }
        out.println(line);
    }
}
