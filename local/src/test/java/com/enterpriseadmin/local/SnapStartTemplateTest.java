package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * SnapStart, read from the template (docs/architecture.md, "Cold starts and SnapStart"): every function
 * that serves requests (HttpApi events) or Cognito triggers publishes versions behind an alias with
 * SnapStart on, and what invokes it names the alias, never the unpublished $LATEST; each may make the
 * priming's read when it uses the table at all.
 */
class SnapStartTemplateTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resources() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("..", "template.yaml"), StandardCharsets.UTF_8)) {
      Map<String, Object> root = (Map<String, Object>) new Yaml(new Template.CloudFormationConstructor()).load(reader);
      return (Map<String, Object>) root.get("Resources");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @Test
  void everyRequestOrTriggerFunctionRestoresFromASnapshotBehindItsAlias() throws Exception {
    Map<String, Object> resources = resources();
    Template template = Template.load(Path.of("..", "template.yaml"));
    List<String> serving = new ArrayList<>(template.triggers().values());
    template.routes().forEach(r -> serving.add(r.functionId()));
    assertFalse(serving.isEmpty());
    for (String id : serving.stream().distinct().toList()) {
      Map<String, Object> props = map(map(resources.get(id)).get("Properties"));
      assertEquals("live", props.get("AutoPublishAlias"), id + ": AutoPublishAlias");
      assertEquals("PublishedVersions", map(props.get("SnapStart")).get("ApplyOn"), id + ": SnapStart.ApplyOn");
      List<String> actions = new ArrayList<>();
      for (Object policy : props.get("Policies") instanceof List<?> l ? l : List.of()) {
        for (Object statement : map(policy).get("Statement") instanceof List<?> s ? s : List.of()) {
          Object action = map(statement).get("Action");
          (action instanceof List<?> a ? a : List.of(String.valueOf(action))).forEach(x -> actions.add(String.valueOf(x)));
        }
      }
      assertTrue(actions.stream().noneMatch(a -> a.startsWith("dynamodb:")) || actions.contains("dynamodb:GetItem"),
          id + " uses the table: its priming reads one key with GetItem, which its policy must allow");
    }
  }

  @Test
  void cognitoInvokesTheTriggersAliasesAndMayInvokeNothingElse() throws Exception {
    Map<String, Object> resources = resources();
    List<Object> targets = new ArrayList<>();
    resources.forEach((id, r) -> {
      Map<String, Object> resource = map(r);
      Map<String, Object> props = map(resource.get("Properties"));
      if ("AWS::Cognito::UserPool".equals(resource.get("Type"))) targets.addAll(map(props.get("LambdaConfig")).values());
      if ("AWS::Lambda::Permission".equals(resource.get("Type")) && "cognito-idp.amazonaws.com".equals(props.get("Principal"))) {
        targets.add(props.get("FunctionName"));
      }
    });
    assertEquals(4, targets.size(), targets.toString());
    for (Object target : targets) {
      assertTrue(target instanceof Template.Intrinsic i && i.name().equals("Ref") && String.valueOf(i.value()).endsWith(".Alias"),
          "a trigger or its permission names " + target + ", not the function's alias (!Ref XFunction.Alias)");
    }
  }
}
