package com.enterpriseadmin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps events/ honest: every file is JSON, every function has a sample, every handler class exists. */
class EventsAndTemplateTest {
    private static final Pattern FUNCTION = Pattern.compile("(?m)^  (\\w+)Function:\\n    Type: AWS::Serverless::Function\\n(?:.*\\n)*?      Handler: ([\\w.]+)::handleRequest");

    @Test
    void everyEventIsJson() throws Exception {
        Json json = new Json();
        for (Path p : Events.all()) {
            assertTrue(json.mapper().readTree(Files.readAllBytes(p)).isObject(), p.toString());
        }
    }

    @Test
    void everyFunctionHasASampleEventAndAHandlerClass() throws Exception {
        Path template = Events.dir().resolveSibling("template.yaml");
        Matcher m = FUNCTION.matcher(Files.readString(template));
        List<String> names = Events.all().stream().map(p -> p.getFileName().toString()).toList();
        List<String> functions = new ArrayList<>();
        while (m.find()) {
            String function = m.group(1);
            functions.add(function);
            assertTrue(names.stream().anyMatch(n -> n.startsWith(function + "-")), "no events/" + function + "-<scenario>.json");
            Class.forName(m.group(2));
        }
        assertFalse(functions.isEmpty());
    }
}
