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
 * [--warmup 50] [--out bench/results/consumption.md]}
 *
 * <p>Set-up through the API (as {@code CreditFixture} does): an organization (its owner), a top-up
 * of 10^9, a SHARED_POOL team and a LIMITED team (limit 10^9), {@code members} members in each.
 * Then per team and concurrency level C: {@code requests} consumptions of 1 credit, each with a
 * fresh Idempotency-Key, round-robin over the team's members, from C client threads; client-side
 * latency per request, throughput, and the DynamoDB requests moto served (its access log) per
 * consumption. Finally {@code replays} consumptions each sent twice with the same key: the
 * latency and DynamoDB requests of a replay.
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
    List<Integer> levels = new ArrayList<>();
    for (String s : opts.getOrDefault("levels", "1,4,16").split(",")) levels.add(Integer.parseInt(s.trim()));

    List<String> machine = Report.machine();
    machine.forEach(System.out::println);
    long setupStart = System.nanoTime();
    BenchStack stack = BenchStack.start("consumption");
    Path out = stack.root.resolve(opts.getOrDefault("out", "bench/results/consumption.md"));
    try {
      System.out.println("stack up: " + stack.info.apiUrl() + " (moto " + stack.info.dynamodbEndpoint() + ")");
      BenchStack.Org org = stack.org();
      stack.topUp(org, 1_000_000_000L);
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

      // Sanity: every admitted consumption was debited exactly once.
      int admitted = replays;
      for (Run r : runs) admitted += r.ok();
      admitted += warmup * teams.size();
      JsonNode credits = BenchStack.ok(stack.send("GET", "/v1/organizations/" + org.orgId() + "/credits", org.owner().token(), null, null), 200);
      long consumed = credits.path("consumed").asLong(-1);
      String sanity = "account `consumed` = " + consumed + ", admitted consumptions = " + admitted
          + (consumed == admitted ? " (equal: nothing lost or applied twice)" : " (MISMATCH)");
      System.out.println(sanity);

      String markdown = markdown(machine, opts, requests, members, warmup, runs, replay, sanity);
      Report.write(out, markdown);
      System.out.println("wrote " + out);
      if (consumed != admitted) System.exit(1);
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

  /** 201, and {@code Idempotent-Replayed: true} exactly when a replay is expected. */
  private static boolean check(BenchStack.Response r, boolean replay) {
    if (r.status() != 201) {
      System.err.println("consumption answered " + r.status() + ": " + r.body());
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
    return "| team / run | C | requests | 201 | throughput (req/s) | p50 ms | p90 ms | p99 ms | max ms | DynamoDB requests / request | of which refused (4xx) |\n"
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
                                 List<Run> runs, Run replay, String sanity) {
    StringBuilder md = new StringBuilder();
    md.append("# Consumption benchmark\n\n");
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
    md.append(row(replay)).append("\n\n");
    md.append("C = client threads; throughput = requests / wall time of the run; DynamoDB requests = `POST /` lines in\n")
        .append("moto's access log during the run / requests (docs/credits.md: 3 per consumption); refused = those moto\n")
        .append("answered with a 4xx: failed conditions, transaction cancellations (conflicts are retried). A replay is the\n")
        .append("membership read and the idempotency claim, refused by its condition, which returns the stored response (ALL_OLD). Check: ").append(sanity).append(".\n\n")
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
