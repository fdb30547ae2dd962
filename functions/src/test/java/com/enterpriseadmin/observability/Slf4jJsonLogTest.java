package com.enterpriseadmin.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/** SLF4J records of libraries (the AWS SDK) in our JSON log: WARN and above as one line, the rest dropped. */
class Slf4jJsonLogTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Log.begin("ManageCredits", "req-42");
        Log.put("orgId", "org-1");
    }

    @AfterEach
    void restore() {
        Log.redirect(System.out);
    }

    private List<String> lines() {
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : text.lines().toList();
    }

    @Test
    void serviceLoaderFindsOurProviderAndOnlyOurs() {
        List<SLF4JServiceProvider> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, providers.size(), "exactly one SLF4J provider on the class path: " + providers);
        assertInstanceOf(JsonSlf4jProvider.class, providers.get(0));
        assertInstanceOf(JsonSlf4jLogger.class, LoggerFactory.getLogger("software.amazon.awssdk.request"));
    }

    @Test
    void sdkWarningBecomesOneJsonLineWithLevelWarn() throws IOException {
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");

        sdk.warn("Retrying {} after {} ms", "TransactWriteItems", 120);

        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line: " + lines);
        JsonNode line = MAPPER.readTree(lines.get(0));
        assertEquals("WARN", line.path("level").asText());
        assertEquals("library-log", line.path("event").asText());
        assertEquals("software.amazon.awssdk.request", line.path("logger").asText());
        assertEquals("Retrying TransactWriteItems after 120 ms", line.path("message").asText());
        assertEquals("req-42", line.path("requestId").asText());
        assertEquals("ManageCredits", line.path("function").asText());
        assertEquals("org-1", line.path("orgId").asText());
        assertTrue(line.hasNonNull("timestamp"));
    }

    @Test
    void sdkErrorWithAThrowableNamesItsTypeLikeLogError() throws IOException {
        LoggerFactory.getLogger("software.amazon.awssdk.http.urlconnection").error("Unable to close {}", "stream",
                new IllegalStateException("boom"));

        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line: " + lines);
        JsonNode line = MAPPER.readTree(lines.get(0));
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("Unable to close stream", line.path("message").asText());
        assertEquals(IllegalStateException.class.getName(), line.path("errorType").asText());
        assertTrue(line.hasNonNull("errorAt"));
    }

    @Test
    void sdkInfoDebugAndTraceAreDropped() {
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");

        sdk.info("Sending Request: {}", "DefaultSdkHttpFullRequest(...)");
        sdk.debug("Received successful response: {}", 200);
        sdk.trace("wire");
        sdk.atInfo().log("fluent info");
        sdk.atDebug().setMessage("fluent debug").log();

        assertEquals(List.of(), lines());
        assertFalse(sdk.isInfoEnabled());
        assertFalse(sdk.isDebugEnabled());
        assertTrue(sdk.isWarnEnabled());
    }

    @Test
    void fluentWarningIsLoggedToo() throws IOException {
        LoggerFactory.getLogger("software.amazon.awssdk.core").atWarn().setMessage("clock skew of {} s").addArgument(301).log();

        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line: " + lines);
        assertEquals("clock skew of 301 s", MAPPER.readTree(lines.get(0)).path("message").asText());
    }
}
