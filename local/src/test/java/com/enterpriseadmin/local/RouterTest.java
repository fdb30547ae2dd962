package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static Template.Route route(String method, String path, String fn) {
    return new Template.Route(method, path, fn, "E", true);
  }

  private final Router router = new Router(List.of(
      route("GET", "/v1/orgs/{orgId}", "GetOrg"),
      route("GET", "/v1/orgs/mine", "Mine"),
      route("POST", "/v1/orgs/{orgId}/teams/{teamId}/members", "AddMember"),
      route("ANY", "/v1/files/{proxy+}", "Files"),
      route("DELETE", "/v1/files/{proxy+}", "DeleteFile")));

  @Test
  void pathParametersAreExtractedAndDecoded() {
    Router.Match m = router.match("POST", "/v1/orgs/o%201/teams/t-2/members").orElseThrow();
    assertEquals("AddMember", m.route().functionId());
    assertEquals(Map.of("orgId", "o 1", "teamId", "t-2"), m.pathParameters());
  }

  @Test
  void aLiteralSegmentBeatsAVariable() {
    assertEquals("Mine", router.match("GET", "/v1/orgs/mine").orElseThrow().route().functionId());
    assertEquals("GetOrg", router.match("GET", "/v1/orgs/o1").orElseThrow().route().functionId());
  }

  @Test
  void methodMustMatchUnlessAny() {
    assertTrue(router.match("PUT", "/v1/orgs/o1").isEmpty());
    assertEquals("Files", router.match("PUT", "/v1/files/a/b").orElseThrow().route().functionId());
    assertEquals("DeleteFile", router.match("DELETE", "/v1/files/a/b").orElseThrow().route().functionId());
    assertEquals(Map.of("proxy", "a/b"), router.match("PUT", "/v1/files/a/b").orElseThrow().pathParameters());
  }

  @Test
  void unknownPathsAndPartialMatchesDoNotMatch() {
    assertTrue(router.match("GET", "/v1/orgs").isEmpty());
    assertTrue(router.match("GET", "/v1/orgs/o1/extra").isEmpty());
    assertTrue(router.match("GET", "/v1/orgs/").isEmpty());
    assertTrue(router.match("GET", "/nope").isEmpty());
  }

  @Test
  void theRealTemplatesRoutesMatchThemselves() throws Exception {
    Template t = TemplateTest.real();
    Router real = new Router(t.routes());
    for (Template.Route r : t.routes()) {
      String concrete = r.path().replaceAll("\\{[^}]+\\+}", "x/y").replaceAll("\\{[^}]+}", "x");
      String method = r.method().equals("ANY") ? "GET" : r.method();
      assertEquals(r, real.match(method, concrete).orElseThrow().route());
    }
  }
}
