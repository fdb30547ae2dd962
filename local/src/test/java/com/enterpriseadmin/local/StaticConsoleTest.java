package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticConsoleTest {

  @TempDir Path dir;
  StaticConsole console;

  @BeforeEach
  void build() throws Exception {
    Path dist = Files.createDirectories(dir.resolve("dist/assets"));
    Files.writeString(dir.resolve("dist/index.html"), "<!doctype html>");
    Files.writeString(dist.resolve("index-abc123.js"), "export {}");
    Files.writeString(dist.resolve("index-abc123.css"), "body{}");
    Files.writeString(dir.resolve("secret.txt"), "outside");
    Files.writeString(dir.resolve("config.json"), "{}");
    console = new StaticConsole(dir.resolve("dist"), dir.resolve("config.json"), List.of("http://127.0.0.1:9229"));
  }

  @Test
  void theApiTreeIsNotTheConsoles() {
    assertFalse(StaticConsole.owns("/v1/me"));
    assertFalse(StaticConsole.owns("/v1"));
    assertTrue(StaticConsole.owns("/"));
    assertTrue(StaticConsole.owns("/teams/t1"));
    assertTrue(StaticConsole.owns("/v10"));
  }

  @Test
  void hashedAssetsAreImmutableWithTheirContentType() {
    StaticConsole.Resolved js = console.resolve("/assets/index-abc123.js");
    assertEquals("text/javascript; charset=utf-8", js.contentType());
    assertEquals("public, max-age=31536000, immutable", js.cacheControl());
    assertEquals("text/css; charset=utf-8", console.resolve("/assets/index-abc123.css").contentType());
  }

  @Test
  void clientRoutesFallBackToIndexButMissingFilesDoNot() {
    StaticConsole.Resolved route = console.resolve("/teams/t-1/usage");
    assertEquals(dir.resolve("dist/index.html").toAbsolutePath().normalize(), route.path());
    assertEquals("no-cache", route.cacheControl());
    assertEquals("text/html; charset=utf-8", console.resolve("/").contentType());
    assertNull(console.resolve("/assets/missing.js"));
  }

  @Test
  void configIsServedUncachedAndNothingOutsideTheRootIs() {
    assertEquals("no-store", console.resolve("/config.json").cacheControl());
    assertNull(console.resolve("/../secret.txt"));
    assertNull(console.resolve("/%2e%2e/secret.txt"));
  }

  @Test
  void policyAllowsOnlyTheOriginAndCognito() {
    String csp = StaticConsole.contentSecurityPolicy(List.of("http://127.0.0.1:9229"));
    assertTrue(csp.contains("connect-src 'self' http://127.0.0.1:9229;"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("script-src 'self';"), csp);
    assertTrue(csp.contains("style-src 'self';"), csp);
  }

  @Test
  void policyAllowsTheAssetsEndpointToBeCalledAndShown() {
    String csp = StaticConsole.contentSecurityPolicy(List.of("http://127.0.0.1:9229"), List.of("http://127.0.0.1:4566"));
    assertTrue(csp.contains("connect-src 'self' http://127.0.0.1:9229 http://127.0.0.1:4566;"), csp);
    assertTrue(csp.contains("img-src 'self' data: http://127.0.0.1:4566;"), csp);
    assertTrue(csp.contains("default-src 'self';"), csp);
  }
}
