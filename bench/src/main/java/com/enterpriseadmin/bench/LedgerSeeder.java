package com.enterpriseadmin.bench;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.team.Team;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Seeds a team's ledger fast through the real write path. Each entry is a real consumption transaction built
 * by {@link CreditStore#consume} (team and account counters, ledger put, usage aggregates), captured instead
 * of sent; then, per batch, the captured puts (the ledger entries) are written with BatchWriteItem (25 a call)
 * and the captured updates are applied once per item with their numeric values summed. Every update the
 * store writes is linear in its numbers ({@code #x = #x + :n}, {@code if_not_exists(#x, :zero) + :n}; strings
 * equal), so one update with the sums is the same as the updates one after the other. Why not the
 * transactions themselves: moto copies the whole table for every item of a TransactWriteItems (to roll back),
 * so 10^5 of them would take hours; the condition checks (membership, seat) were true when the members were
 * added through the API and are not re-sent.
 */
final class LedgerSeeder {
  private final DynamoDbClient moto;
  private final String table;
  private final String orgId;
  private final Team team;
  private final List<String> userIds;
  private final Instant anchor;
  private final Duration spread;
  private final Random random = new Random(42);
  private final List<TransactWriteItemsRequest> captured = new ArrayList<>();
  private final CreditStore capturing;
  long seeded;
  long consumed;

  LedgerSeeder(DynamoDbClient moto, String table, String orgId, Team team, List<String> userIds, Instant anchor, Duration spread) {
    this.moto = moto;
    this.table = table;
    this.orgId = orgId;
    this.team = team;
    this.userIds = userIds;
    this.anchor = anchor;
    this.spread = spread;
    DynamoDbClient capture = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "transactWriteItems" -> {
            captured.add((TransactWriteItemsRequest) args[0]);
            yield TransactWriteItemsResponse.builder().build();
          }
          case "serviceName" -> "dynamodb";
          case "close" -> null;
          default -> throw new UnsupportedOperationException("the seeder only captures transactions: " + method.getName());
        });
    Db db = new Db(capture, table);
    this.capturing = new CreditStore(db, new AuditStore(db, new Json()));
  }

  /** {@code n} more consumptions (1–3 credits, round-robin over the members), each at a random time in [anchor − spread, anchor). */
  void seed(long n) {
    for (long done = 0; done < n; ) {
      long batch = Math.min(20_000, n - done);
      for (long i = 0; i < batch; i++) {
        String userId = userIds.get((int) (seeded % userIds.size()));
        long amount = 1 + seeded % 3;
        Instant at = anchor.minusMillis(1 + (long) (random.nextDouble() * (spread.toMillis() - 1)));
        LedgerEntry entry = LedgerEntry.consumption(Ids.newId(), at, team.teamId(), userId, team.periodKey(), amount, "bench", null);
        CreditStore.Seat seat = new CreditStore.Seat(orgId, team.teamId(), userId, OrgRole.USER, TeamRole.MEMBER, team.periodKey());
        CreditStore.Verdict verdict = capturing.consume(seat, entry, CreditStore.Rider.NONE);
        if (!verdict.committed()) throw new IllegalStateException("capture " + verdict);
        seeded++;
        consumed += amount;
      }
      flush();
      done += batch;
    }
  }

  private void flush() {
    List<Map<String, AttributeValue>> puts = new ArrayList<>();
    Map<Map<String, AttributeValue>, Update> merged = new LinkedHashMap<>();
    for (TransactWriteItemsRequest tx : captured) {
      for (TransactWriteItem action : tx.transactItems()) {
        if (action.put() != null) {
          puts.add(action.put().item());
        } else if (action.update() != null) {
          merged.merge(action.update().key(), action.update(), LedgerSeeder::sum);
        }
      }
    }
    captured.clear();
    for (int i = 0; i < puts.size(); i += 25) {
      List<WriteRequest> writes = puts.subList(i, Math.min(puts.size(), i + 25)).stream()
          .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
      Map<String, List<WriteRequest>> pending = Map.of(table, writes);
      while (!pending.isEmpty()) {
        BatchWriteItemResponse r = moto.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
        pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
      }
    }
    for (Update u : merged.values()) {
      moto.updateItem(b -> b.tableName(u.tableName()).key(u.key()).updateExpression(u.updateExpression())
          .conditionExpression(u.conditionExpression())
          .expressionAttributeNames(u.hasExpressionAttributeNames() ? u.expressionAttributeNames() : null)
          .expressionAttributeValues(u.hasExpressionAttributeValues() ? u.expressionAttributeValues() : null));
    }
  }

  /** Two updates of one item as one: the same expressions, numbers summed, strings equal. */
  private static Update sum(Update a, Update b) {
    if (!a.updateExpression().equals(b.updateExpression()) || !java.util.Objects.equals(a.conditionExpression(), b.conditionExpression())) {
      throw new IllegalStateException("updates of one item differ: " + a.updateExpression() + " / " + b.updateExpression());
    }
    Map<String, AttributeValue> values = new LinkedHashMap<>(a.expressionAttributeValues());
    b.expressionAttributeValues().forEach((k, v) -> values.merge(k, v, (x, y) -> {
      if (x.n() != null && y.n() != null) return AttributeValue.fromN(Long.toString(Long.parseLong(x.n()) + Long.parseLong(y.n())));
      if (!x.equals(y)) throw new IllegalStateException("non-numeric value " + k + " differs: " + x + " / " + y);
      return x;
    }));
    return a.toBuilder().expressionAttributeValues(values).build();
  }
}
