package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Least privilege, read from the template: no IAM statement may grant (Allow) a wildcard action or resource
 * ({@code *}, {@code dynamodb:*}, {@code .../index/*}) unless the resource says why in its
 * {@code Metadata.IamWildcards} (wildcard → justification).
 */
class IamWildcardTest {

  @Test
  void theTemplateGrantsNoUnjustifiedWildcard() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("..", "template.yaml"), StandardCharsets.UTF_8)) {
      List<String> found = unjustifiedWildcards(reader);
      assertEquals(List.of(), found, "wildcards without a Metadata.IamWildcards justification");
    }
  }

  @Test
  void aWildcardIsFoundInActionsAndResourcesAndAJustificationClearsIt() {
    String template = """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Policies:
                - Statement:
                    - Effect: Allow
                      Action: [dynamodb:*]
                      Resource: !Sub "${Table.Arn}/index/*"
          Justified:
            Type: AWS::Serverless::Function
            Metadata:
              IamWildcards:
                "xray:PutTraceSegments": "X-Ray takes no resource-level permissions"
                "*": "same"
            Properties:
              Policies:
                - Statement:
                    - {Effect: Allow, Action: "xray:PutTraceSegments", Resource: "*"}
          Role:
            Type: AWS::IAM::Role
            Properties:
              Policies:
                - PolicyDocument:
                    Statement:
                      - {Effect: Allow, Action: "s3:Get*", Resource: "arn:aws:s3:::b/k"}
        """;
    List<String> found = unjustifiedWildcards(new StringReader(template));
    assertEquals(3, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("Fn: action dynamodb:*"), found.toString());
    assertTrue(found.get(1).startsWith("Fn: resource "), found.toString());
    assertTrue(found.get(2).startsWith("Role: action s3:Get*"), found.toString());
  }

  @SuppressWarnings("unchecked")
  static List<String> unjustifiedWildcards(Reader reader) {
    Map<String, Object> root = (Map<String, Object>) new Yaml(new Template.CloudFormationConstructor()).load(reader);
    List<String> out = new ArrayList<>();
    ((Map<String, Object>) root.getOrDefault("Resources", Map.of())).forEach((id, r) -> {
      Map<String, Object> resource = (Map<String, Object>) r;
      Map<String, Object> justified = (Map<String, Object>) ((Map<String, Object>) resource.getOrDefault("Metadata", Map.of()))
          .getOrDefault("IamWildcards", Map.of());
      for (Map<String, Object> statement : statements(resource)) {
        if ("Deny".equals(statement.get("Effect"))) continue; // a Deny narrows whatever it names
        for (String action : strings(statement.get("Action"))) {
          if (action.contains("*") && !justified.containsKey(action)) out.add(id + ": action " + action);
        }
        for (String res : strings(statement.get("Resource"))) {
          if (res.contains("*") && !justified.containsKey(res)) out.add(id + ": resource " + res);
        }
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(Map<String, Object> resource) {
    Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    List<Map<String, Object>> out = new ArrayList<>();
    Object policies = props.get("Policies");
    if (policies instanceof List<?> list) {
      for (Object p : list) {
        if (!(p instanceof Map<?, ?> policy)) continue; // a SAM policy template name or managed policy ARN
        Object document = policy.containsKey("PolicyDocument") ? policy.get("PolicyDocument") : policy;
        if (document instanceof Map<?, ?> doc && doc.get("Statement") instanceof List<?> ss) {
          ss.forEach(s -> out.add((Map<String, Object>) s));
        }
      }
    }
    if (props.get("PolicyDocument") instanceof Map<?, ?> doc && doc.get("Statement") instanceof List<?> ss) {
      ss.forEach(s -> out.add((Map<String, Object>) s));
    }
    return out;
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> out.add(text(v)));
    } else if (value != null) {
      out.add(text(value));
    }
    return out;
  }

  /** The text of a literal, or of a {@code !Sub}'s template (where a wildcard would sit). */
  private static String text(Object value) {
    if (value instanceof Template.Intrinsic i) {
      return i.value() instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(i.value());
    }
    return String.valueOf(value);
  }
}
