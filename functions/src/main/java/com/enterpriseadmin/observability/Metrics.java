package com.enterpriseadmin.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;

/**
 * Business metrics in CloudWatch embedded metric format: one log line that CloudWatch turns into
 * a metric, with no API call and no extra latency. Namespace {@code EnterpriseAdmin}.
 */
public final class Metrics {
    public static final String NAMESPACE = "EnterpriseAdmin";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile PrintStream out = System.out;

    private Metrics() {}

    public static void count(String name, long value, Map<String, String> dimensions) {
        out.println(emf(name, value, "Count", dimensions, System.currentTimeMillis()));
    }

    /** For tests: capture what would be written. */
    public static void redirect(PrintStream stream) { out = stream; }

    static String emf(String name, long value, String unit, Map<String, String> dimensions, long timestamp) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensions.keySet().forEach(dimensionSet::add);
        directive.putArray("Metrics").addObject().put("Name", name).put("Unit", unit);
        dimensions.forEach(root::put);
        root.put(name, value);
        return root.toString();
    }
}
