package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteThrottlesTest {
  private static final String API = """
      Parameters:
        Rate: {Type: Number, Default: 2}
      Resources:
        Api:
          Type: AWS::Serverless::HttpApi
          Properties:
            DefaultRouteSettings: {ThrottlingRateLimit: !Ref Rate, ThrottlingBurstLimit: 3}
            RouteSettings:
              "GET /slow": {ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1}
      """;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private RouteThrottles throttles(Map<String, String> parameters) {
    return new RouteThrottles(Template.parse(new StringReader(API)), parameters, "us-east-1", now::get);
  }

  @Test
  void aRouteAdmitsItsBurstThenRefusesUntilTokensComeBackAtItsRate() {
    RouteThrottles t = throttles(Map.of());
    for (int i = 0; i < 3; i++) {
      assertTrue(t.admit("GET /fast").admitted(), "burst request " + i);
    }
    RouteThrottles.Decision refused = t.admit("GET /fast");
    assertFalse(refused.admitted());
    assertEquals(1, refused.retryAfterSeconds());
    now.addAndGet(500_000_000L); // half a second at 2/s: one token
    assertTrue(t.admit("GET /fast").admitted());
    assertFalse(t.admit("GET /fast").admitted());
  }

  @Test
  void routeSettingsOverrideTheDefaultAndEachRouteHasItsOwnBucket() {
    RouteThrottles t = throttles(Map.of());
    assertTrue(t.admit("GET /slow").admitted());
    assertFalse(t.admit("GET /slow").admitted());
    assertTrue(t.admit("GET /other").admitted(), "another route is not throttled by /slow's bucket");
  }

  @Test
  void parametersOverrideTheTemplateDefaults() {
    RouteThrottles t = throttles(Map.of("Rate", "1000"));
    for (int i = 0; i < 3; i++) {
      t.admit("GET /fast");
    }
    now.addAndGet(1_000_000L); // 1 ms at 1000/s: one token
    assertTrue(t.admit("GET /fast").admitted());
  }

  @Test
  void theRealTemplateThrottlesEveryRouteAndTheExpensiveOnesHarder() throws Exception {
    Template real = Template.load(Path.of("..", "template.yaml"));
    assertTrue(real.throttling().defaults().isPresent(), "DefaultRouteSettings");
    for (String expensive : new String[] {"POST /v1/organizations", "POST /v1/organizations/{orgId}/invitations",
        "GET /v1/organizations/{orgId}/teams/{teamId}/usage", "GET /v1/organizations/{orgId}/ledger", "GET /v1/organizations/{orgId}/audit-log"}) {
      assertTrue(real.throttling().byRoute().containsKey(expensive), expensive);
      assertTrue(real.routes().stream().anyMatch(r -> r.routeKey().equals(expensive)), expensive + " is a route of the template");
    }
  }
}
