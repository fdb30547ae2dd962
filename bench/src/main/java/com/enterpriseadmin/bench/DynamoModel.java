package com.enterpriseadmin.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of DynamoDB the escrow design depends on, as a model (docs/scaling.md, "The model"):
 *
 * <ul>
 *   <li><b>Items</b> with one number each ({@code available} of an account lane; other items carry no
 *       value, they only take part in conflicts).</li>
 *   <li><b>Partitions</b> with a write ceiling (a token bucket: {@code wcuPerSecond} refilled
 *       continuously, at most {@code burstSeconds} of it banked). An item lives in one partition; a
 *       partition may also take writes of items the model does not track (ledger puts, index writes).</li>
 *   <li><b>Write transactions</b> in two phases. At <i>prepare</i> the transaction is cancelled with
 *       {@code TransactionConflict} if any of its items is part of another transaction that is prepared
 *       and not yet committed (AWS: "an item within a TransactWriteItems request is part of another
 *       ongoing TransactWriteItems request"; inside, the prepare marks the item and the commit clears the mark:
 *       DynamoDB's transactions paper, USENIX ATC 2023, Listing 4); else with {@code ThrottlingError} if a partition lacks the
 *       capacity (nothing is taken then); else its conditions are evaluated (a failed one cancels it
 *       with {@code ConditionalCheckFailed} and returns the item's old value, as
 *       {@code ReturnValuesOnConditionCheckFailure=ALL_OLD} does). A prepared transaction holds its
 *       items until <i>commit</i>, which applies the deltas.</li>
 *   <li><b>Transactional reads</b> ({@code TransactGetItems}) at one instant: cancelled with
 *       {@code TransactionConflict} if any item is part of a prepared write transaction, else a
 *       consistent snapshot.</li>
 * </ul>
 *
 * Because no second transaction can prepare on an item while one holds it, a condition evaluated at
 * prepare still holds at commit; {@link #commit} nevertheless checks that no tracked value goes
 * negative and throws if one would (the simulation's overspend alarm).
 */
public final class DynamoModel {

  /** What a transaction (or a transactional read) ended with. */
  public enum Outcome { PREPARED, COMMITTED, CONFLICT, THROTTLED, CONDITION_FAILED }

  /** A partition's write ceiling: a token bucket of write capacity units. */
  public static final class Partition {
    private final double wcuPerSecond;
    private final double capacity;
    private double tokens;
    private double lastMs;

    Partition(double wcuPerSecond, double burstSeconds) {
      this.wcuPerSecond = wcuPerSecond;
      this.capacity = wcuPerSecond * burstSeconds;
      this.tokens = capacity;
    }

    double available(double nowMs) {
      tokens = Math.min(capacity, tokens + (nowMs - lastMs) * wcuPerSecond / 1000.0);
      lastMs = nowMs;
      return tokens;
    }

    void take(double wcu) {
      tokens -= wcu;
    }
  }

  /** An item: its key, its partition, its number (lanes), and the prepared transaction holding it. */
  public static final class Item {
    public final String key;
    final Partition partition;
    long value;
    /** Moves on at every commit that writes the item (the lanes' {@code seq}). */
    long version;
    Tx heldBy;

    Item(String key, Partition partition, long value) {
      this.key = key;
      this.partition = partition;
      this.value = value;
    }

    public long value() {
      return value;
    }

    public boolean held() {
      return heldBy != null;
    }
  }

  /**
   * One action of a write transaction on a tracked item: add {@code delta} to its value, only if the
   * value is at least {@code atLeast} (no condition: {@link Long#MIN_VALUE}); it costs {@code wcu}.
   */
  public record Write(Item item, long delta, long atLeast, double wcu, long expectVersion) {
    /** No version condition. */
    public Write(Item item, long delta, long atLeast, double wcu) {
      this(item, delta, atLeast, wcu, -1);
    }

    public static Write check(Item item, double wcu) {
      return new Write(item, 0, Long.MIN_VALUE, wcu);
    }

    /** Adds {@code delta} only if the item is still at {@code version} (the code's {@code seq = :asRead}). */
    public static Write asRead(Item item, long delta, long version, double wcu) {
      return new Write(item, delta, Long.MIN_VALUE, wcu, version);
    }
  }

  /** Capacity a transaction takes from a partition for an item the model does not track (a ledger put, an index write). */
  public record Untracked(Partition partition, double wcu) {}

  /** A write transaction once prepared; {@link #commit} applies it. */
  public static final class Tx {
    final List<Write> writes;

    Tx(List<Write> writes) {
      this.writes = writes;
    }
  }

  /** The answer to a prepare: the outcome, the prepared transaction, or which item refused (and its old value) or conflicted. */
  public record Prepared(Outcome outcome, Tx tx, Item item, long oldValue) {}

  /** The answer to a transactional read: the outcome and, when it succeeded, the values in the order asked. */
  public record Snapshot(Outcome outcome, long[] values, Item conflicted) {}

  private final double wcuPerSecond;
  private final double burstSeconds;
  private final Map<String, Partition> partitions = new HashMap<>();
  private final Map<String, Item> items = new HashMap<>();

  public DynamoModel(double wcuPerSecond, double burstSeconds) {
    this.wcuPerSecond = wcuPerSecond;
    this.burstSeconds = burstSeconds;
  }

  public Partition partition(String name) {
    return partitions.computeIfAbsent(name, n -> new Partition(wcuPerSecond, burstSeconds));
  }

  /** The item {@code key} (created with {@code value} in {@code partition} the first time). */
  public Item item(String key, String partition, long value) {
    return items.computeIfAbsent(key, k -> new Item(k, partition(partition), value));
  }

  /**
   * Phase one of a write transaction at {@code nowMs}: conflict, then capacity, then conditions, in
   * that order; on success the items are held until {@link #commit}.
   */
  public Prepared prepare(double nowMs, List<Write> writes, List<Untracked> untracked) {
    for (Write w : writes) {
      if (w.item().heldBy != null) {
        return new Prepared(Outcome.CONFLICT, null, w.item(), w.item().value);
      }
    }
    Map<Partition, Double> wcu = new HashMap<>();
    for (Write w : writes) wcu.merge(w.item().partition, w.wcu(), Double::sum);
    for (Untracked u : untracked) wcu.merge(u.partition(), u.wcu(), Double::sum);
    for (var e : wcu.entrySet()) {
      if (e.getKey().available(nowMs) < e.getValue()) {
        return new Prepared(Outcome.THROTTLED, null, null, 0);
      }
    }
    wcu.forEach(Partition::take);
    for (Write w : writes) {
      if (w.item().value < w.atLeast() || (w.expectVersion() >= 0 && w.item().version != w.expectVersion())) {
        return new Prepared(Outcome.CONDITION_FAILED, null, w.item(), w.item().value);
      }
    }
    Tx tx = new Tx(List.copyOf(writes));
    for (Write w : writes) w.item().heldBy = tx;
    return new Prepared(Outcome.PREPARED, tx, null, 0);
  }

  /** Phase two: applies the deltas and releases the items. Throws if a value would go negative (never, by the rules above). */
  public void commit(Tx tx) {
    for (Write w : tx.writes) {
      if (w.item().heldBy != tx) {
        throw new IllegalStateException("commit of a transaction that does not hold " + w.item().key);
      }
      if (w.item().value + w.delta() < 0) {
        throw new IllegalStateException("overspend: " + w.item().key + " would become " + (w.item().value + w.delta()));
      }
    }
    for (Write w : tx.writes) {
      w.item().value += w.delta();
      w.item().version++;
      w.item().heldBy = null;
    }
  }

  /** Consistent reads (GetItem, BatchGetItem) of {@code read} now: the committed values and versions; never cancelled. */
  public Reads read(List<Item> read) {
    long[] values = new long[read.size()];
    long[] versions = new long[read.size()];
    for (int i = 0; i < read.size(); i++) {
      values[i] = read.get(i).value;
      versions[i] = read.get(i).version;
    }
    return new Reads(values, versions);
  }

  /** What consistent reads returned. */
  public record Reads(long[] values, long[] versions) {}

  /** A consistent read of {@code read} now ({@code TransactGetItems}). */
  public Snapshot transactGet(List<Item> read) {
    long[] values = new long[read.size()];
    for (int i = 0; i < read.size(); i++) {
      Item item = read.get(i);
      if (item.heldBy != null) {
        return new Snapshot(Outcome.CONFLICT, null, item);
      }
      values[i] = item.value;
    }
    return new Snapshot(Outcome.COMMITTED, values, null);
  }

}
