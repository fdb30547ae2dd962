package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** api/openapi.yaml must describe exactly the routes template.yaml serves, no more, no less. */
class OpenApiMatchesTemplateTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @SuppressWarnings("unchecked")
  static Set<String> specRoutes() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("..", "api", "openapi.yaml"))) {
      Map<String, Object> spec = new Yaml().load(reader);
      assertEquals("3.1.0", spec.get("openapi"));
      Set<String> routes = new TreeSet<>();
      ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, operations) -> operations.keySet().stream()
          .filter(METHODS::contains)
          .forEach(method -> routes.add(method.toUpperCase() + " " + path)));
      return routes;
    }
  }

  @Test
  void theSpecAndTheTemplateServeTheSameRoutes() throws Exception {
    Set<String> template = new TreeSet<>();
    TemplateTest.real().routes().forEach(r -> template.add(r.routeKey()));
    Set<String> spec = specRoutes();
    assertFalse(template.isEmpty());
    Set<String> onlyInTemplate = new TreeSet<>(template);
    onlyInTemplate.removeAll(spec);
    Set<String> onlyInSpec = new TreeSet<>(spec);
    onlyInSpec.removeAll(template);
    assertTrue(onlyInTemplate.isEmpty() && onlyInSpec.isEmpty(),
        "only in template.yaml: " + onlyInTemplate + "; only in api/openapi.yaml: " + onlyInSpec);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyOperationDeclaresItsErrorsAndItsScheme() throws Exception {
    Set<String> iamInTemplate = new TreeSet<>();
    TemplateTest.real().routes().stream().filter(Template.Route::iam).forEach(r -> iamInTemplate.add(r.routeKey()));
    Set<String> iamInSpec = new TreeSet<>();
    try (Reader reader = Files.newBufferedReader(Path.of("..", "api", "openapi.yaml"))) {
      Map<String, Object> spec = new Yaml().load(reader);
      Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) spec.get("components")).get("securitySchemes");
      assertTrue(schemes.containsKey("cognitoJwt"));
      assertTrue(schemes.containsKey("awsSigV4"));
      ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, operations) -> operations.forEach((method, op) -> {
        if (METHODS.contains(method)) {
          Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) op).get("responses");
          Object security = ((Map<String, Object>) op).get("security");
          boolean iam = security != null && security.toString().contains("awsSigV4");
          if (iam) {
            iamInSpec.add(method.toUpperCase() + " " + path);
            assertTrue(responses.containsKey("403"), method + " " + path + " documents API Gateway's 403 of IAM authorization");
          } else {
            assertTrue(responses.containsKey("401"), method + " " + path + " documents 401");
          }
        }
      }));
    }
    assertEquals(iamInTemplate, iamInSpec, "the AWS_IAM routes of template.yaml are the awsSigV4 operations of the spec");
    assertFalse(iamInSpec.isEmpty());
  }
}
