package com.enterpriseadmin.local;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The HTTP API's stage throttling, as API Gateway applies it: one token bucket per route, refilled at
 * the route's rate (requests per second) up to its burst; a request that finds the bucket empty is
 * answered 429 without reaching the function. Limits come from the template's
 * {@code DefaultRouteSettings} and {@code RouteSettings}, resolved with the stack's parameters.
 */
final class RouteThrottles {
  /** What a request learns: admitted, or refused with the seconds until a token is back. */
  record Decision(boolean admitted, long retryAfterSeconds) {}

  private record Limit(double ratePerSecond, double burst) {}

  private final Map<String, Limit> limits;
  private final Optional<Limit> defaults;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final LongSupplier nanoTime;

  RouteThrottles(Template template, Map<String, String> parameters, String region, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    Template.Throttling t = template.throttling();
    this.defaults = t.defaults().map(d -> limit(template, d, parameters, region));
    Map<String, Limit> byRoute = new HashMap<>();
    t.byRoute().forEach((routeKey, throttle) -> byRoute.put(routeKey, limit(template, throttle, parameters, region)));
    this.limits = Map.copyOf(byRoute);
  }

  Decision admit(String routeKey) {
    Limit limit = limits.getOrDefault(routeKey, defaults.orElse(null));
    if (limit == null) {
      return new Decision(true, 0);
    }
    synchronized (buckets) {
      return buckets.computeIfAbsent(routeKey, k -> new Bucket(limit, nanoTime.getAsLong())).take(nanoTime.getAsLong());
    }
  }

  private static Limit limit(Template template, Template.Throttle throttle, Map<String, String> parameters, String region) {
    double rate = throttle.rateLimit() == null ? Double.MAX_VALUE : Double.parseDouble(template.resolve(throttle.rateLimit(), Map.of(), parameters, region));
    double burst = throttle.burstLimit() == null ? Math.max(1, rate) : Double.parseDouble(template.resolve(throttle.burstLimit(), Map.of(), parameters, region));
    if (rate <= 0 || burst < 1) {
      throw new IllegalArgumentException("throttle limits must be positive: rate " + rate + ", burst " + burst);
    }
    return new Limit(rate, burst);
  }

  private static final class Bucket {
    private final Limit limit;
    private double tokens;
    private long refilledAt;

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.refilledAt = now;
    }

    Decision take(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - refilledAt) / 1e9 * limit.ratePerSecond());
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return new Decision(true, 0);
      }
      return new Decision(false, Math.max(1, (long) Math.ceil((1 - tokens) / limit.ratePerSecond())));
    }
  }
}
