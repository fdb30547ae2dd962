package com.enterpriseadmin.bench;

import com.enterpriseadmin.store.Retry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One hot organization on the {@link DynamoModel} model: closed-loop clients admit consumptions against
 * an account split into K escrow lanes, by the algorithm of docs/scaling.md ("Admission with K
 * lanes", as built in {@code credit/Lanes}): a lane by the key's hash (a random one: every request has a fresh key)
 * conditioned {@code available >= n}; on contention (conflict, throttling) a jittered backoff
 * ({@link Retry#backoffCapMillis}, {@link Retry#MAX_ATTEMPTS} attempts, then 503 {@code busy}) and the next lane;
 * on a lane short of credit ONE TransactGetItems of the lanes, then (with at least n per lane) a rebalance refilling
 * the short lane, else a lane holding n, or a rebalance
 * ({@code AccountLanes.spread}: each giving lane conditioned on what it gives), or a final refusal when the lanes'
 * total is below n.
 * Discrete events in simulated milliseconds; deterministic for a seed.
 */
public final class EscrowSimulation {

  /** The model's numbers (docs/scaling.md, "The model", states each one and its source). */
  public record Config(
      int lanes, int clients, int teams, long initialBalance, int maxAmount,
      double warmupMs, double durationMs, boolean stopAtFirstRefusal, boolean ledgerPerLane,
      double txMedianMs, double txSigma, double windowMedianMs, double windowSigma, double getMedianMs,
      double wcuPerSecond, double burstSeconds, long seed) {

    /** The defaults: 25 ms p50 transactions, a 3 ms prepare→commit window, 1,000 WCU/s per partition, 256 teams. */
    public static Config defaults(int lanes, int clients) {
      return new Config(lanes, clients, 256, 1_000_000_000_000L, 10, 200, 2_000, false, true,
          25, 0.35, 3, 0.5, 8, 1_000, 0.1, 42);
    }

    public Config withBalance(long balance, boolean stopAtFirstRefusal, double durationMs) {
      return new Config(lanes, clients, teams, balance, maxAmount, 0, durationMs, stopAtFirstRefusal, ledgerPerLane,
          txMedianMs, txSigma, windowMedianMs, windowSigma, getMedianMs, wcuPerSecond, burstSeconds, seed);
    }

    public Config withWindow(double medianMs) {
      return new Config(lanes, clients, teams, initialBalance, maxAmount, warmupMs, durationMs, stopAtFirstRefusal, ledgerPerLane,
          txMedianMs, txSigma, medianMs, windowSigma, getMedianMs, wcuPerSecond, burstSeconds, seed);
    }

    public Config withTeams(int count) {
      return new Config(lanes, clients, count, initialBalance, maxAmount, warmupMs, durationMs, stopAtFirstRefusal, ledgerPerLane,
          txMedianMs, txSigma, windowMedianMs, windowSigma, getMedianMs, wcuPerSecond, burstSeconds, seed);
    }

    public Config withOneLedgerPartition() {
      return new Config(lanes, clients, teams, initialBalance, maxAmount, warmupMs, durationMs, stopAtFirstRefusal, false,
          txMedianMs, txSigma, windowMedianMs, windowSigma, getMedianMs, wcuPerSecond, burstSeconds, seed);
    }
  }

  /** Write capacity units per action (items measured in bench/results/item-sizes.md: all ≤ 1 KB; transactional = 2 per KB). */
  static final double TX_WCU = 2;
  /** The ledger entry's GSI1 copy (team usage), a standard write of ≤ 1 KB. */
  static final double INDEX_WCU = 1;

  /** What a run measured (counts over the measured span, except the conservation figures, which cover the whole run). */
  public static final class Result {
    public final Config config;
    public long admitted;
    public long admittedCredits;
    public long laneConflicts;
    public long teamConflicts;
    public long readConflicts;
    public long throttles;
    public long busy;
    public long laneMisses;
    public long rebalances;
    public long refusals;
    public long falseRefusals;
    public double measuredMs;
    public final List<Double> latencies = new ArrayList<>();
    /** Whole run: credits admitted, the lanes' total at the end, the lowest lane value ever seen. */
    public long totalAdmittedCredits;
    public long finalTotal;
    public long lowestLane = Long.MAX_VALUE;

    Result(Config config) {
      this.config = config;
    }

    public double perSecond(long count) {
      return count / (measuredMs / 1000.0);
    }

    /** Credits admitted beyond the initial balance (must be 0). */
    public long overspend() {
      return Math.max(0, totalAdmittedCredits - config.initialBalance());
    }

    /** The lanes' total + everything admitted = the initial balance (nothing created or lost). */
    public boolean conserved() {
      return finalTotal + totalAdmittedCredits == config.initialBalance();
    }

    public double percentile(double p) {
      return Report.percentile(Report.sorted(latencies), p);
    }
  }

  private record Event(double at, long seq, Runnable action) {}

  private final Config config;
  private final DynamoModel dynamo;
  private final Random random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>(Comparator.comparingDouble(Event::at).thenComparingLong(Event::seq));
  private final List<DynamoModel.Item> lanes = new ArrayList<>();
  private final Result result;
  private long seq;
  private double now;

  public EscrowSimulation(Config config) {
    this.config = config;
    this.dynamo = new DynamoModel(config.wcuPerSecond(), config.burstSeconds());
    this.random = new Random(config.seed());
    this.result = new Result(config);
    long share = config.initialBalance() / config.lanes();
    for (int i = 0; i < config.lanes(); i++) {
      // A top-up spreads over the lanes; the remainder goes to lane 0.
      long value = share + (i == 0 ? config.initialBalance() - share * config.lanes() : 0);
      lanes.add(dynamo.item("lane#" + i, "lane#" + i, value));
    }
  }

  /** Runs to the end of the measured span (or, when clients stop at their first refusal, until all stopped) and returns the figures. */
  public Result run() {
    for (int c = 0; c < config.clients(); c++) {
      Client client = new Client();
      at(random.nextDouble() * config.txMedianMs(), client::next);
    }
    double end = config.warmupMs() + config.durationMs();
    while (!queue.isEmpty() && queue.peek().at() <= end) {
      Event e = queue.poll();
      now = e.at();
      e.action().run();
      for (DynamoModel.Item lane : lanes) result.lowestLane = Math.min(result.lowestLane, lane.value());
    }
    result.measuredMs = (config.stopAtFirstRefusal() ? now : end) - config.warmupMs();
    result.finalTotal = lanes.stream().mapToLong(DynamoModel.Item::value).sum();
    return result;
  }

  private void at(double when, Runnable action) {
    queue.add(new Event(when, seq++, action));
  }

  private boolean measured() {
    return now >= config.warmupMs();
  }

  private double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  private long total() {
    return lanes.stream().mapToLong(DynamoModel.Item::value).sum();
  }

  /** A TransactWriteItems: prepare after the request leg, commit after the window, the answer after the reply leg. */
  private void transact(List<DynamoModel.Write> writes, List<DynamoModel.Untracked> untracked, Runnable onCommit,
                        java.util.function.Consumer<DynamoModel.Prepared> answer) {
    double latency = lognormal(config.txMedianMs(), config.txSigma());
    double window = Math.min(lognormal(config.windowMedianMs(), config.windowSigma()), 0.8 * latency);
    double leg = (latency - window) / 2;
    at(now + leg, () -> {
      DynamoModel.Prepared p = dynamo.prepare(now, writes, untracked);
      if (p.outcome() != DynamoModel.Outcome.PREPARED) {
        at(now + leg, () -> answer.accept(p));
        return;
      }
      at(now + window, () -> {
        dynamo.commit(p.tx());
        onCommit.run();
        at(now + leg, () -> answer.accept(new DynamoModel.Prepared(DynamoModel.Outcome.COMMITTED, null, null, 0)));
      });
    });
  }

  /** The lanes read as the code does ({@code CreditStore.laneSnapshot}): ONE TransactGetItems of every lane, at the middle of its round trip. */
  private void readLanes(java.util.function.Consumer<DynamoModel.Snapshot> answer) {
    double latency = lognormal(config.getMedianMs(), config.txSigma());
    at(now + latency / 2, () -> {
      DynamoModel.Snapshot s = dynamo.transactGet(lanes);
      at(now + latency / 2, () -> answer.accept(s));
    });
  }

  /** A closed-loop client: one request at a time, the next as soon as one ends. */
  private final class Client {
    private long amount;
    private int team;
    private int lane;
    private int contention;
    private double startedAt;
    private boolean stopped;

    void next() {
      if (stopped) return;
      amount = 1 + random.nextInt(config.maxAmount());
      team = random.nextInt(config.teams());
      lane = random.nextInt(config.lanes());
      contention = 0;
      startedAt = now;
      admit();
    }

    /** The admission transaction: the lane's debit conditioned on its credit, the team's counters, the ledger entry (and its index copy). */
    void admit() {
      DynamoModel.Item laneItem = lanes.get(lane);
      DynamoModel.Item teamItem = dynamo.item("team#" + team, "team#" + team, 0);
      String ledger = "ledger#" + (config.ledgerPerLane() ? lane : 0);
      transact(List.of(new DynamoModel.Write(laneItem, -amount, amount, TX_WCU), DynamoModel.Write.check(teamItem, TX_WCU)),
          List.of(new DynamoModel.Untracked(dynamo.partition(ledger), TX_WCU),
              new DynamoModel.Untracked(dynamo.partition("team-index#" + team), INDEX_WCU)),
          () -> result.totalAdmittedCredits += amount,
          p -> {
            switch (p.outcome()) {
              case COMMITTED -> {
                if (measured()) {
                  result.admitted++;
                  result.admittedCredits += amount;
                  result.latencies.add(now - startedAt);
                }
                next();
              }
              case CONFLICT -> {
                if (measured()) {
                  if (p.item() == laneItem) result.laneConflicts++;
                  else result.teamConflicts++;
                }
                contended(() -> {
                  lane = (lane + 1) % config.lanes();
                  admit();
                });
              }
              case THROTTLED -> {
                if (measured()) result.throttles++;
                contended(() -> {
                  lane = (lane + 1) % config.lanes();
                  admit();
                });
              }
              case CONDITION_FAILED -> {
                if (measured()) result.laneMisses++;
                readAll();
              }
              default -> throw new IllegalStateException("unexpected " + p.outcome());
            }
          });
    }

    /** The lane was short: read every lane consistently and decide. */
    void readAll() {
      readLanes(s -> {
        if (s.outcome() == DynamoModel.Outcome.CONFLICT) {
          if (measured()) result.readConflicts++;
          contended(this::readAll);
          return;
        }
        long[] v = s.values();
        long sum = Arrays.stream(v).sum();
        int richest = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[richest]) richest = i;
        if (sum < amount) {
          // Final: a consistent snapshot of all lanes holds less than n.
          if (measured()) {
            result.refusals++;
            if (total() >= amount) result.falseRefusals++;
          }
          if (config.stopAtFirstRefusal()) {
            stopped = true;
          } else {
            next();
          }
        } else if (sum / v.length >= amount) {
          // Plenty of credit: the short lane is refilled at once (as credit/Lanes).
          rebalance(v, lane);
        } else {
          int holding = -1;
          for (int i = 0; i < v.length && holding < 0; i++) if (v[i] >= amount) holding = i;
          if (holding >= 0) {
            lane = holding;
            admit();
          } else {
            rebalance(v, richest);
          }
        }
      });
    }

    /**
     * Spreads the lanes' total as the code does ({@code AccountLanes.spread}: the richest holding at least n), in one
     * transaction: a lane that gives conditioned on holding what it gives, one that receives unconditioned.
     */
    void rebalance(long[] v, int target) {
      List<com.enterpriseadmin.credit.AccountLanes.Lane> read = new ArrayList<>();
      for (int i = 0; i < v.length; i++) read.add(new com.enterpriseadmin.credit.AccountLanes.Lane(i, v[i], 0, 0, 0, 0));
      long[] next = new com.enterpriseadmin.credit.AccountLanes(0, v.length, read).spread(v.length, target, amount);
      List<DynamoModel.Write> writes = new ArrayList<>();
      for (int i = 0; i < v.length; i++) {
        long delta = next[i] - v[i];
        if (delta != 0) writes.add(new DynamoModel.Write(lanes.get(i), delta, delta < 0 ? -delta : Long.MIN_VALUE, TX_WCU));
      }
      transact(writes, List.of(), () -> {}, p -> {
        if (p.outcome() == DynamoModel.Outcome.COMMITTED) {
          if (measured()) result.rebalances++;
          lane = target;
          admit();
        } else {
          if (measured()) {
            if (p.outcome() == DynamoModel.Outcome.THROTTLED) result.throttles++;
            else if (p.outcome() == DynamoModel.Outcome.CONFLICT) result.laneConflicts++;
          }
          contended(this::readAll);
        }
      });
    }

    /** Lost a race: back off (full jitter, as store/Retry) and try again, or give up with 503 busy after the last attempt. */
    void contended(Runnable again) {
      contention++;
      if (contention >= Retry.MAX_ATTEMPTS) {
        if (measured()) result.busy++;
        next();
        return;
      }
      long cap = Retry.backoffCapMillis(contention - 1);
      at(now + 1 + random.nextInt((int) cap), again);
    }
  }
}
