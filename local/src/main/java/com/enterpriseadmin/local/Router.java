package com.enterpriseadmin.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a request against the template's HttpApi routes like API Gateway: an exact path beats
 * a path with variables, {@code {proxy+}} matches the rest of the path, a method beats {@code ANY},
 * and {@code $default} catches what nothing else matched.
 */
public final class Router {

  public record Match(Template.Route route, Map<String, String> pathParameters) {}

  private final List<Template.Route> routes;

  public Router(List<Template.Route> routes) {
    this.routes = new ArrayList<>(routes);
    this.routes.sort(Comparator.comparingInt(Router::specificity).reversed());
  }

  /** Higher is more specific: literal segments count most, a greedy variable least. */
  private static int specificity(Template.Route r) {
    if (r.path().equals("$default")) return Integer.MIN_VALUE;
    int score = 0;
    for (String seg : segments(r.path())) {
      if (seg.endsWith("+}")) score += 0;
      else if (seg.startsWith("{")) score += 100;
      else score += 10_000;
    }
    return score * 2 + (r.method().equals("ANY") ? 0 : 1);
  }

  public Optional<Match> match(String method, String path) {
    for (Template.Route r : routes) {
      if (!r.method().equals("ANY") && !r.method().equalsIgnoreCase(method)) continue;
      if (r.path().equals("$default")) return Optional.of(new Match(r, Map.of()));
      Map<String, String> params = matchPath(r.path(), path);
      if (params != null) return Optional.of(new Match(r, params));
    }
    return Optional.empty();
  }

  /** The path variables, or null when {@code path} does not match {@code template}. */
  static Map<String, String> matchPath(String template, String path) {
    String[] t = segments(template);
    String[] p = segments(path);
    for (int i = 0; i < p.length; i++) {
      p[i] = java.net.URLDecoder.decode(p[i].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < t.length; i++) {
      String seg = t[i];
      if (seg.startsWith("{") && seg.endsWith("+}")) {
        if (i >= p.length) return null;
        params.put(seg.substring(1, seg.length() - 2), String.join("/", java.util.Arrays.copyOfRange(p, i, p.length)));
        return params;
      }
      if (i >= p.length) return null;
      if (seg.startsWith("{") && seg.endsWith("}")) {
        if (p[i].isEmpty()) return null;
        params.put(seg.substring(1, seg.length() - 1), p[i]);
      } else if (!seg.equals(p[i])) {
        return null;
      }
    }
    return t.length == p.length ? params : null;
  }

  private static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
