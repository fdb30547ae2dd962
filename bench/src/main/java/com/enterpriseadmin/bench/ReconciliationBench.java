package com.enterpriseadmin.bench;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.HoldClosing;
import com.enterpriseadmin.credit.Idempotency;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.Organization;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.reconciliation.Reconciliation;
import com.enterpriseadmin.reconciliation.ReconciliationStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Incremental reconciliation (see bench/README.md): one organization with {@code --entries} ledger entries
 * (history, older than the checkpoint's settling bound), a first run, {@code --added} new entries, a second
 * run: DynamoDB items read by each (counted by an SDK interceptor on the in-process client) and the ledger
 * entries each read. Then {@code --organizations} organizations through the real path: the scheduled
 * function (invoke port), SQS, the local runtime's SQS event source, the worker; wall time until every
 * organization has a checkpoint written after the start.
 */
public final class ReconciliationBench {
  /** Ledger puts per seeding transaction: 100 actions − the account's seq check − the audit entry. */
  private static final int PER_TX = 98;

  /** Items DynamoDB returned to this client (Query items, GetItem hits, BatchGetItem items) and calls. */
  static final class ItemsRead implements ExecutionInterceptor {
    final AtomicLong items = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    private final ThreadLocal<Long> started = new ThreadLocal<>();
    final java.util.concurrent.ConcurrentLinkedQueue<String> slow = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      started.set(System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      SdkResponse r = context.response();
      long ms = (System.nanoTime() - started.get()) / 1_000_000;
      if (ms > 2000) {
        slow.add(context.request().getClass().getSimpleName() + " " + ms + " ms");
      }
      if (r instanceof QueryResponse q) {
        items.addAndGet(q.count());
        calls.incrementAndGet();
      } else if (r instanceof GetItemResponse g) {
        items.addAndGet(g.hasItem() && !g.item().isEmpty() ? 1 : 0);
        calls.incrementAndGet();
      } else if (r instanceof BatchGetItemResponse b) {
        items.addAndGet(b.responses().values().stream().mapToLong(List::size).sum());
        calls.incrementAndGet();
      }
    }

    long[] take() {
      return new long[] {items.getAndSet(0), calls.getAndSet(0)};
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ConsumptionBench.options(args);
    int entries = Integer.parseInt(opts.getOrDefault("entries", "100000"));
    int added = Integer.parseInt(opts.getOrDefault("added", "1000"));
    int organizations = Integer.parseInt(opts.getOrDefault("organizations", "1000"));
    List<String> machine = Report.machine();
    machine.forEach(System.out::println);
    BenchStack stack = BenchStack.start("reconciliation");
    Path out = stack.root.resolve(opts.getOrDefault("out", "bench/results/reconciliation.md"));
    ItemsRead counter = new ItemsRead();
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.info.dynamodbEndpoint()))
        .region(Region.of(stack.info.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        // moto sorts the whole partition for every Query page: a page of a 10^4-entry ledger takes tens of seconds here.
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(10)).build())
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build()) {
      Json json = new Json();
      Db db = new Db(dynamo, stack.info.tableName());
      AuditStore audit = new AuditStore(db, json);
      CreditStore credits = new CreditStore(db, audit);
      OrganizationStore orgs = new OrganizationStore(db, audit);
      Clock clock = Clock.systemUTC();
      HoldClosing holds = new HoldClosing(new Policy((org, user) -> Optional.empty()), credits, new Idempotency(db, json, clock), audit, json, clock);
      Reconciliation reconciliation = new Reconciliation(credits, new ReconciliationStore(db, audit), holds, clock, false, Duration.ZERO);

      // ---- one organization with a long history
      String big = organization(orgs, credits, 0);
      Instant history = Instant.now().minus(Duration.ofDays(2));
      long seedStart = System.nanoTime();
      seed(credits, audit, big, entries, history, Duration.ofDays(1).toMillis() / Math.max(1, entries));
      double seedS = (System.nanoTime() - seedStart) / 1e9;
      System.out.printf("seeded %d entries in %.1f s%n", entries, seedS);
      counter.take();
      long t1 = System.nanoTime();
      Reconciliation.OrgReport first = reconciliation.reconcile(big);
      double firstS = (System.nanoTime() - t1) / 1e9;
      long[] firstRead = counter.take();
      seed(credits, audit, big, added, Instant.now(), 1);
      counter.take();
      long t2 = System.nanoTime();
      Reconciliation.OrgReport second = reconciliation.reconcile(big);
      double secondS = (System.nanoTime() - t2) / 1e9;
      long[] secondRead = counter.take();
      System.out.println("slow calls: " + counter.slow);
      System.out.printf("first run: %d ledger entries, %d items in %d calls, %.2f s; second run: %d ledger entries, %d items in %d calls, %.2f s%n",
          first.ledgerEntriesRead(), firstRead[0], firstRead[1], firstS, second.ledgerEntriesRead(), secondRead[0], secondRead[1], secondS);
      boolean incremental = first.consistent() && second.consistent() && second.ledgerEntriesRead() >= added
          && second.ledgerEntriesRead() <= added + 2 && first.ledgerEntriesRead() >= entries;

      // ---- many organizations, through the schedule, the queue and the worker
      long orgStart = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= organizations; i++) {
        ids.add(organization(orgs, credits, i));
      }
      System.out.printf("created %d organizations (each: a billing credit) in %.1f s%n", organizations, (System.nanoTime() - orgStart) / 1e9);
      Instant fanoutStart = Instant.now();
      long t3 = System.nanoTime();
      HttpResponse<String> scheduled = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(stack.info.invokeUrl() + "/local/schedules/ReconcileFunction")).POST(HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
      double enqueueS = (System.nanoTime() - t3) / 1e9;
      System.out.println("schedule: " + scheduled.statusCode() + " " + scheduled.body() + String.format(" in %.1f s", enqueueS));
      int done = 0;
      while (done < ids.size()) {
        Thread.sleep(1000);
        done = checkpointedSince(db, ids, fanoutStart);
        if ((System.nanoTime() - t3) / 1e9 > 3600) {
          break;
        }
      }
      double fanoutS = (System.nanoTime() - t3) / 1e9;
      System.out.printf("%d of %d organizations reconciled through SQS in %.1f s%n", done, ids.size(), fanoutS);

      String markdown = markdown(machine, opts, entries, added, organizations, seedS, first, firstRead, firstS, second, secondRead, secondS,
          scheduled.body(), enqueueS, done, fanoutS, incremental);
      Report.write(out, markdown);
      System.out.println("wrote " + out);
      if (!incremental || done < ids.size()) {
        System.err.println("FAILED: the second run did not read only the new entries, or organizations were left unreconciled");
        System.exit(1);
      }
    } finally {
      stack.close();
    }
  }

  /** An organization (through the store's own creation transaction) with its account (one billing credit). */
  private static String organization(OrganizationStore orgs, CreditStore credits, int n) {
    String orgId = Ids.newId();
    String owner = "bench-owner-" + n;
    Instant now = Instant.now();
    OrganizationStore.Creation created = orgs.create(new Organization(orgId, "Bench " + n, owner, now, now, 1),
        new Membership(orgId, owner, "owner" + n + "@example.com", "Owner", OrgRole.OWNER, MemberStatus.ACTIVE, Map.of(), now, now, 1),
        new OrganizationStore.CreateWindow("bench-" + n, 1_000, now.plus(Duration.ofDays(1))),
        AuditEntry.of(orgId, owner, "organization.created", AuditEntry.Target.organization(orgId), Map.of(), Map.of("name", "Bench " + n), now));
    if (created != OrganizationStore.Creation.DONE) {
      throw new IllegalStateException("organization not created: " + created);
    }
    String reference = "bench-" + orgId;
    LedgerEntry credit = LedgerEntry.topUp(Ids.newId(), now, "bench", 1_000_000, LedgerEntry.TopUpSource.CONTRACT, reference, "bench");
    CreditStore.BillingResult billed = credits.billingCredit(orgId, credit, "{}",
        AuditEntry.of(orgId, "bench", "credits.billed", AuditEntry.Target.organization(orgId), Map.of(), Map.of("amount", 1_000_000), now));
    if (billed.commit() != CreditStore.BillingCommit.COMMITTED) {
      throw new IllegalStateException("billing credit not committed: " + billed.commit());
    }
    return orgId;
  }

  /**
   * {@code n} ADJUSTMENT entries (+1 and −1 purchased in turn: the counters stay as they are), {@code stepMs}
   * apart from {@code from}, 98 to a transaction through the reconciliation's own repair path
   * ({@code CreditStore.appendAdjustments}: the account's seq as read, the entries, an audit entry).
   */
  private static void seed(CreditStore credits, AuditStore audit, String orgId, int n, Instant from, long stepMs) {
    int written = 0;
    while (written < n) {
      int size = Math.min(PER_TX, n - written);
      List<LedgerEntry> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int k = written + i;
        batch.add(LedgerEntry.adjustment(Ids.newId(), from.plusMillis(k * stepMs), null, null, k % 2 == 0 ? 1 : -1, 0, 0, 0, 0, "bench history"));
      }
      if (size % 2 == 1) {
        throw new IllegalArgumentException("entries come in pairs: use an even count");
      }
      Instant now = Instant.now();
      AuditEntry audited = AuditEntry.of(orgId, "bench", "bench.seeded", AuditEntry.Target.organization(orgId), Map.of(), Map.of("entries", size), now);
      if (!credits.appendAdjustments(orgId, credits.accountSeq(orgId), Map.of(), batch, audited)) {
        throw new IllegalStateException("seeding transaction refused");
      }
      written += size;
    }
  }

  /** How many of the organizations have a checkpoint written at or after {@code since}. */
  private static int checkpointedSince(Db db, List<String> ids, Instant since) {
    List<Key> keys = ids.stream().map(Keys::reconciliationCheckpoint).toList();
    String bound = Ids.at(since);
    int n = 0;
    for (Map<String, AttributeValue> item : db.batchGet(keys, true).values()) {
      AttributeValue at = item.get("updatedAt");
      if (at != null && at.s().compareTo(bound) >= 0) {
        n++;
      }
    }
    return n;
  }

  private static String markdown(List<String> machine, Map<String, String> opts, int entries, int added, int organizations, double seedS,
                                 Reconciliation.OrgReport first, long[] firstRead, double firstS, Reconciliation.OrgReport second,
                                 long[] secondRead, double secondS, String schedule, double enqueueS, int done, double fanoutS,
                                 boolean incremental) {
    StringBuilder md = new StringBuilder();
    md.append("# Reconciliation benchmark\n\n");
    md.append("Incremental reconciliation from checkpoints, and the fan-out of many organizations through SQS. Generated by\n")
        .append("`ReconciliationBench`; see `bench/README.md`.\n\n");
    md.append(String.join("\n", machine)).append("\n");
    md.append(Report.atEnd()).append("\n");
    md.append("- command: `").append(ConsumptionBench.command("ReconciliationBench", opts)).append("`\n\n");
    md.append("## One organization, ").append(entries).append(" ledger entries, then ").append(added).append(" more\n\n");
    md.append("Seeded in-process through `CreditStore.appendAdjustments` (98 entries a transaction), dated over the day that\n")
        .append("ended a day ago (older than the checkpoint's 16-minute settling bound): ").append(Report.f1(seedS)).append(" s.\n")
        .append("Each run is `Reconciliation.reconcile(orgId)` in-process against the bench's moto; items read are counted by\n")
        .append("an SDK interceptor (Query `Count`, GetItem hits, BatchGetItem items).\n\n");
    md.append("| run | ledger entries read | DynamoDB items read | read calls | wall time (s) | consistent |\n|---|---|---|---|---|---|\n");
    md.append("| first (no checkpoint) | ").append(first.ledgerEntriesRead()).append(" | ").append(firstRead[0]).append(" | ")
        .append(firstRead[1]).append(" | ").append(Report.f2(firstS)).append(" | ").append(first.consistent()).append(" |\n");
    md.append("| second (after ").append(added).append(" new entries) | ").append(second.ledgerEntriesRead()).append(" | ")
        .append(secondRead[0]).append(" | ").append(secondRead[1]).append(" | ").append(Report.f2(secondS)).append(" | ")
        .append(second.consistent()).append(" |\n\n");
    md.append("Check: the second run read ").append(second.ledgerEntriesRead()).append(" ledger entries for ").append(added)
        .append(" added (").append(incremental ? "ok" : "FAILED").append("); the rest of its items are the account, the teams, the\n")
        .append("checkpoint, the sequence numbers (read twice) and the holds. Checkpoint after the second run: ")
        .append(second.ledgerEntriesCheckpointed()).append(" entries folded, through `").append(second.checkpointThrough()).append("`.\n\n");
    md.append("## ").append(organizations).append(" organizations through the schedule, SQS and the worker\n\n");
    md.append("Each organization made in-process (`OrganizationStore.create`, one billing credit). Then `POST /local/schedules/ReconcileFunction`\n")
        .append("(sweeps, GSI1 `ORGANIZATIONS` query, `SendMessageBatch`): `").append(schedule.replace("`", "'")).append("` in ")
        .append(Report.f1(enqueueS)).append(" s; the local runtime's SQS event source delivers batches of 10 to\n")
        .append("`ReconcileOrganizationFunction` (one poller, one batch at a time: no `MaximumConcurrency` locally).\n\n");
    md.append("- organizations reconciled (checkpoint written after the start): **").append(done).append(" of ").append(organizations)
        .append("**\n- wall time, schedule start → the last checkpoint: **").append(Report.f1(fanoutS)).append(" s** (")
        .append(Report.f1(1000.0 * fanoutS / Math.max(1, done))).append(" ms per organization)\n\n");
    md.append("moto is a single-threaded in-memory emulator (`tools/moto_server.py` serialises every request) and everything runs\n")
        .append("on this machine's cores: the wall times measure our code + the emulator, not DynamoDB, and on AWS the\n")
        .append("workers run 5 at a time (`ScalingConfig.MaximumConcurrency`). The item counts are exact.\n");
    return md.toString();
  }
}
