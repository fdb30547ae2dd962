package com.enterpriseadmin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumption latency and throughput through the HTTP API of a local stack of its own.
 *
 * <p>{@code ConsumptionBench [--requests 400] [--members 8] [--levels 1,4,16] [--replays 100]
 * [--warmup 50] [--refusals 100] [--holds 64] [--lanes 1] [--out bench/results/consumption.md]}
 *
 * <p>Set-up through the API (as {@code CreditFixture} does): an organization (its owner), a top-up
 * of 10^9, a SHARED_POOL team and a LIMITED team (limit 10^9), {@code members} members in each.
 * Then per team and concurrency level C: {@code requests} consumptions of 1 credit, each with a
 * fresh Idempotency-Key, round-robin over the team's members, from C client threads; client-side
 * latency per request, throughput, and the DynamoDB requests moto served (its access log) per
 * consumption. Then {@code replays} consumptions each sent twice with the same key (a replay);
 * {@code refusals} consumptions refused by a LIMITED team driven past its limit, and each sent again
 * (a remembered refusal replayed); {@code holds} hold placements, half captured and half released.
 */
public final class ConsumptionBench {

  record Run(String label, int concurrency, int requests, int ok, List<Double> latenciesMs, double wallMs, BenchStack.MotoCount dynamo,
             Map<Integer, Integer> statuses) {
    double throughput() {
      return requests / (wallMs / 1000.0);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int requests = Integer.parseInt(opts.getOrDefault("requests", "400"));
    int members = Integer.parseInt(opts.getOrDefault("members", "8"));
    int replays = Integer.parseInt(opts.getOrDefault("replays", "100"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "50"));
    int refusals = Integer.parseInt(opts.getOrDefault("refusals", "100"));
    int holds = Integer.parseInt(opts.getOrDefault("holds", "64"));
    List<Integer> levels = new ArrayList<>();
    for (String s : opts.getOrDefault("levels", "1,4,16").split(",")) levels.add(Integer.parseInt(s.trim()));

    List<String> machine = Report.machine();
    machine.forEach(System.out::println);
    long setupStart = System.nanoTime();
    BenchStack stack = BenchStack.start("consumption");
    int lanes = Integer.parseInt(opts.getOrDefault("lanes", "1"));
    Path out = stack.root.resolve(opts.getOrDefault("out", lanes == 1 ? "bench/results/consumption.md" : "bench/results/consumption-k" + lanes + ".md"));
    try {
      System.out.println("stack up: " + stack.info.apiUrl() + " (moto " + stack.info.dynamodbEndpoint() + ")");
      BenchStack.Org org = stack.org();
      stack.topUp(org, 1_000_000_000L);
      if (lanes > 1) {
        // As the operator's SetLanesCommand does, on the stack's table (docs/scaling.md, "Escrow lanes as built").
        System.out.println("account lanes: " + stack.setLanes(org, lanes));
      }
      String shared = stack.team(org, Map.of("mode", "SHARED_POOL"));
      String limited = stack.team(org, Map.of("mode", "LIMITED", "limit", 1_000_000_000L));
      Map<String, List<BenchStack.Person>> teams = new LinkedHashMap<>();
      teams.put(shared, addMembers(stack, org, shared, members));
      teams.put(limited, addMembers(stack, org, limited, members));
      Map<String, String> modes = Map.of(shared, "SHARED_POOL", limited, "LIMITED");
      System.out.printf("set-up: org, top-up, 2 teams, %d members each in %.1f s%n", members, (System.nanoTime() - setupStart) / 1e9);

      // Warm-up (the runtime JVM's JIT, connection pools, the SDK's first-use costs): not measured.
      for (var t : teams.entrySet()) run(stack, org, t.getKey(), t.getValue(), "warm-up", Math.min(4, levels.get(levels.size() - 1)), warmup);

      List<Run> runs = new ArrayList<>();
      long consumedExpected = 0;
      for (int c : levels) {
        for (var t : teams.entrySet()) {
          Run r = run(stack, org, t.getKey(), t.getValue(), modes.get(t.getKey()), c, requests);
          runs.add(r);
          System.out.println(row(r));
        }
      }
      // Duplicate replays: originals first (not reported), then the same keys again.
      List<BenchStack.Person> people = teams.get(shared);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < replays; i++) {
        String key = UUID.randomUUID().toString();
        keys.add(key);
        check(stack.consume(org, shared, people.get(i % people.size()), 1, key), false);
      }
      BenchStack.MotoCount before = stack.motoRequests();
      List<Double> replayLatencies = new ArrayList<>();
      int replayOk = 0;
      long wallStart = System.nanoTime();
      for (int i = 0; i < replays; i++) {
        long t0 = System.nanoTime();
        BenchStack.Response r = stack.consume(org, shared, people.get(i % people.size()), 1, keys.get(i));
        replayLatencies.add((System.nanoTime() - t0) / 1e6);
        if (check(r, true)) replayOk++;
      }
      double replayWall = (System.nanoTime() - wallStart) / 1e6;
      Run replay = new Run("SHARED_POOL, replay (same key twice)", 1, replays, replayOk, replayLatencies, replayWall,
          stack.motoRequests().minus(before), Map.of());
      System.out.println(row(replay));
      List<Run> others = new ArrayList<>();
      others.add(replay);

      // Refusals: a LIMITED team driven past its limit (10 credits spent first), then each refusal's key again.
      String small = stack.team(org, Map.of("mode", "LIMITED", "limit", 10L));
      List<BenchStack.Person> smallPeople = teams.get(limited);
      for (BenchStack.Person p : smallPeople) stack.addToTeam(org, small, p);
      for (int i = 0; i < 10; i++) check(stack.consume(org, small, smallPeople.get(i % smallPeople.size()), 1, UUID.randomUUID().toString()), false);
      List<String> refusedKeys = new ArrayList<>();
      for (int i = 0; i < refusals; i++) refusedKeys.add(UUID.randomUUID().toString());
      others.add(serial(stack, "LIMITED (limit 10, spent), refusal 409", refusals,
          i -> stack.consume(org, small, smallPeople.get(i % smallPeople.size()), 1, refusedKeys.get(i)), 409, false));
      others.add(serial(stack, "LIMITED, refusal replayed (same key twice)", refusals,
          i -> stack.consume(org, small, smallPeople.get(i % smallPeople.size()), 1, refusedKeys.get(i)), 409, true));

      // Holds: placed (2 credits, 10 min), then half captured (1 credit) and half released; at most 8 open per member.
      List<BenchStack.Person> holders = teams.get(shared);
      String holdsPath = "/v1/organizations/" + org.orgId() + "/teams/" + shared + "/holds";
      List<String> holdIds = Collections.synchronizedList(new ArrayList<>());
      Map<Integer, BenchStack.Person> holderOf = new java.util.concurrent.ConcurrentHashMap<>();
      others.add(serial(stack, "hold placement", holds, i -> {
        BenchStack.Person who = holders.get(i % holders.size());
        BenchStack.Response r = stack.send("POST", holdsPath, who.token(), UUID.randomUUID().toString(), "{\"amount\":2,\"expiresInSeconds\":600}");
        if (r.status() == 201) {
          holdIds.add(r.json().path("holdId").asText());
          holderOf.put(holdIds.size() - 1, who);
        }
        return r;
      }, 201, false));
      int captures = holdIds.size() / 2;
      others.add(serial(stack, "hold capture (1 of 2 credits)", captures, i -> stack.send("POST", holdsPath + "/" + holdIds.get(i) + "/capture",
          holderOf.get(i).token(), UUID.randomUUID().toString(), "{\"amount\":1}"), 200, false));
      others.add(serial(stack, "hold release", holdIds.size() - captures, i -> stack.send("POST", holdsPath + "/" + holdIds.get(captures + i)
          + "/release", holderOf.get(captures + i).token(), UUID.randomUUID().toString(), "{}"), 200, false));
      for (Run r : others.subList(1, others.size())) System.out.println(row(r));

      // Sanity: every admitted consumption and capture was debited exactly once; nothing is left held.
      int admitted = replays + 10 + captures;
      for (Run r : runs) admitted += r.ok();
      admitted += warmup * teams.size();
      JsonNode credits = BenchStack.ok(stack.send("GET", "/v1/organizations/" + org.orgId() + "/credits", org.owner().token(), null, null), 200);
      long consumed = credits.path("consumed").asLong(-1);
      long held = credits.path("held").asLong(-1);
      String sanity = "account `consumed` = " + consumed + ", admitted consumptions + captured credits = " + admitted
          + (consumed == admitted ? " (equal: nothing lost or applied twice)" : " (MISMATCH)") + "; `held` = " + held
          + (held == 0 ? " (every hold closed)" : " (MISMATCH)");
      System.out.println(sanity);

      String markdown = markdown(machine, opts, requests, members, warmup, runs, others, sanity);
      Report.write(out, markdown);
      System.out.println("wrote " + out);
      if (consumed != admitted || held != 0 || others.stream().anyMatch(r -> r.ok() != r.requests())) System.exit(1);
    } finally {
      stack.close();
    }
  }

  private static List<BenchStack.Person> addMembers(BenchStack stack, BenchStack.Org org, String teamId, int count) {
    List<BenchStack.Person> people = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BenchStack.Person p = stack.member(org, "USER");
      stack.addToTeam(org, teamId, p);
      people.add(p);
    }
    return people;
  }

  private static Run run(BenchStack stack, BenchStack.Org org, String teamId, List<BenchStack.Person> people, String label,
                         int concurrency, int requests) throws Exception {
    BenchStack.MotoCount before = stack.motoRequests();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long wallStart = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
            BenchStack.Person who = people.get(i % people.size());
            long t0 = System.nanoTime();
            BenchStack.Response r = stack.consume(org, teamId, who, 1, UUID.randomUUID().toString());
            latencies.add((System.nanoTime() - t0) / 1e6);
            statuses.merge(r.status(), 1, Integer::sum);
            if (check(r, false)) ok.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : workers) f.get();
    } finally {
      pool.shutdown();
    }
    double wall = (System.nanoTime() - wallStart) / 1e6;
    return new Run(label, concurrency, requests, ok.get(), new ArrayList<>(latencies), wall, stack.motoRequests().minus(before), statuses);
  }

  /**
   * {@code n} requests one after the other (C = 1), each counted on its own: latency, and the DynamoDB requests
   * moto served for the phase; each must answer {@code status}, replayed or not as expected.
   */
  private static Run serial(BenchStack stack, String label, int n, java.util.function.IntFunction<BenchStack.Response> request, int status,
                            boolean replay) throws java.io.IOException, InterruptedException {
    BenchStack.MotoCount before = stack.motoRequests();
    List<Double> latencies = new ArrayList<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    int ok = 0;
    long wallStart = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      BenchStack.Response r = request.apply(i);
      latencies.add((System.nanoTime() - t0) / 1e6);
      statuses.merge(r.status(), 1, Integer::sum);
      if (check(r, status, replay)) ok++;
    }
    double wall = (System.nanoTime() - wallStart) / 1e6;
    return new Run(label, 1, n, ok, latencies, wall, stack.motoRequests().minus(before), statuses);
  }

  /** 201, and {@code Idempotent-Replayed: true} exactly when a replay is expected. */
  private static boolean check(BenchStack.Response r, boolean replay) {
    return check(r, 201, replay);
  }

  private static boolean check(BenchStack.Response r, int status, boolean replay) {
    if (r.status() != status) {
      System.err.println("answered " + r.status() + " (expected " + status + "): " + r.body());
      return false;
    }
    boolean replayed = "true".equalsIgnoreCase(r.headers().first("Idempotent-Replayed"));
    if (replayed != replay) {
      System.err.println("Idempotent-Replayed " + replayed + ", expected " + replay);
      return false;
    }
    return true;
  }

  private static String header() {
    return "| team / run | C | requests | as expected | throughput (req/s) | p50 ms | p90 ms | p99 ms | max ms | DynamoDB requests / request | of which refused (4xx) |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  }

  private static String row(Run r) {
    double[] s = Report.sorted(r.latenciesMs());
    String status = r.ok() == r.requests() ? String.valueOf(r.ok()) : r.ok() + " (" + r.statuses() + ")";
    return "| " + r.label() + " | " + r.concurrency() + " | " + r.requests() + " | " + status + " | " + Report.f1(r.throughput())
        + " | " + Report.f1(Report.percentile(s, 50)) + " | " + Report.f1(Report.percentile(s, 90)) + " | "
        + Report.f1(Report.percentile(s, 99)) + " | " + Report.f1(s.length == 0 ? Double.NaN : s[s.length - 1]) + " | "
        + Report.f2((double) r.dynamo().requests() / r.requests()) + " | " + Report.f2((double) r.dynamo().refused() / r.requests()) + " |";
  }

  private static String markdown(List<String> machine, Map<String, String> opts, int requests, int members, int warmup,
                                 List<Run> runs, List<Run> others, String sanity) {
    StringBuilder md = new StringBuilder();
    md.append("# Consumption benchmark\n\n");
    if (!opts.getOrDefault("lanes", "1").equals("1")) {
      md.append("The organization's account in **").append(opts.get("lanes")).append(" escrow lanes** (`--lanes`, set as `SetLanesCommand` does after the top-up).\n\n");
    }
    md.append("`POST /v1/organizations/{orgId}/teams/{teamId}/consumptions` (amount 1, fresh `Idempotency-Key` each) through the\n")
        .append("local stack's HTTP API (JWT check, handler, AWS SDK) against moto, measured at the client. Generated by\n")
        .append("`ConsumptionBench`; see `bench/README.md`.\n\n");
    md.append(String.join("\n", machine)).append("\n");
    md.append(Report.atEnd()).append("\n");
    md.append("- command: `").append(command("ConsumptionBench", opts)).append("`\n");
    md.append("- set-up: 1 organization, top-up 10^9, one SHARED_POOL and one LIMITED team (limit 10^9), ").append(members)
        .append(" members in each (cognito-local sign-up, invitation, acceptance, team membership); ").append(warmup)
        .append(" unmeasured warm-up consumptions per team\n\n");
    md.append(header());
    for (Run r : runs) md.append(row(r)).append("\n");
    for (Run r : others) md.append(row(r)).append("\n");
    md.append("\n");
    md.append("C = client threads; throughput = requests / wall time of the run; DynamoDB requests = `POST /` lines in\n")
        .append("moto's access log during the run / requests (docs/credits.md: 1 per admitted consumption or placement); refused = those\n")
        .append("moto answered with a 4xx: failed conditions, transaction cancellations (conflicts are retried). as expected = answers\n")
        .append("with the expected status (201 consumption/placement, 409 refusal, 200 capture/release) and `Idempotent-Replayed` as\n")
        .append("expected. A replay is the transaction, cancelled by the idempotency record's condition, whose ALL_OLD is the stored\n")
        .append("answer; a refusal is the cancelled transaction (ALL_OLD names the rule) and the put that remembers it under the key;\n")
        .append("a capture or release is one consistent BatchGetItem (membership, hold, key) and one transaction. The last rows run at\n")
        .append("C = 1, one request after the other. Check: ").append(sanity).append(".\n\n")
        .append("moto is a single-threaded in-memory emulator (`tools/moto_server.py` serialises every request), so\n")
        .append("these latencies measure our code + the emulator on this machine, not DynamoDB; throughput above C=1\n")
        .append("is bounded by moto's one request at a time.\n");
    return md.toString();
  }

  static String command(String main, Map<String, String> opts) {
    String fromScript = System.getenv("BENCH_COMMAND");
    StringBuilder s = new StringBuilder(fromScript != null && !fromScript.isBlank() ? fromScript + "  →  " : "");
    s.append("java -cp bench/target/bench-1.0.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt) com.enterpriseadmin.bench.").append(main);
    opts.forEach((k, v) -> s.append(" --").append(k).append(' ').append(v));
    return s.toString();
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad argument " + args[i]);
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }
}
