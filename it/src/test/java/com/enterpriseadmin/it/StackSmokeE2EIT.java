package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.enterpriseadmin.local.Template;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local runtime answers like API Gateway before any handler runs. */
class StackSmokeE2EIT {

  private final TestStack stack = TestStack.get();

  private static String concrete(Template.Route route) {
    return route.path().replaceAll("\\{[^}]+\\+}", "x/y").replaceAll("\\{[^}]+}", "x");
  }

  private static String method(Template.Route route) {
    return route.method().equals("ANY") ? "GET" : route.method();
  }

  @Test
  void unknownRouteIsNotFound() {
    TestStack.Response r = stack.get("/no/such/route", null);
    assertEquals(404, r.status());
    assertEquals("Not Found", r.json().get("message").asText());
  }

  @Test
  void everyTemplateRouteRefusesARequestWithoutAValidToken() throws Exception {
    Template template = Template.load(stack.root.resolve("template.yaml"));
    assertFalse(template.routes().isEmpty());
    for (Template.Route route : template.routes()) {
      if (!route.authorized()) continue;
      TestStack.Response none = stack.send(method(route), concrete(route), (String) null, "{}");
      assertEquals(401, none.status(), route.routeKey() + " without a token");
      assertEquals("Unauthorized", none.json().get("message").asText());
      TestStack.Response forged = stack.send(method(route), concrete(route), Map.of("Authorization", "Bearer a.b.c"), null);
      assertEquals(401, forged.status(), route.routeKey() + " with a garbage token");
    }
  }

  @Test
  void anIdTokenFromTheUserPoolPassesTheAuthorizer() {
    TestStack.User user = stack.newUser();
    TestStack.Response r = stack.get("/v1/me", user.idToken());
    // Through the authorizer AND the function: the caller's own profile, not merely "not refused".
    assertEquals(200, r.status(), r.body());
    assertEquals(user.email(), r.json().path("email").asText());
    assertFalse(r.json().path("userId").asText().isEmpty(), r.body());
  }
}
