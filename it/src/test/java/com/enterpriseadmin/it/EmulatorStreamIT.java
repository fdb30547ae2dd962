package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The table's stream on the emulator, as the local runtime's stream pollers read it: every write is a record with
 * its new and old images, in order; a cancelled transaction leaves no record (tools/moto_server.py drops the records
 * moto wrote for the actions it applied before the refusal).
 */
class EmulatorStreamIT {
  private final TestStack stack = TestStack.get();

  private DynamoDbStreamsClient streams() {
    String endpoint = stack.dynamo().serviceClientConfiguration().endpointOverride().map(URI::toString).orElse(null);
    var b = DynamoDbStreamsClient.builder().region(Region.of(stack.region)).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    if (endpoint != null) b.endpointOverride(URI.create(endpoint));
    return b.build();
  }

  private static Map<String, AttributeValue> item(String pk, String v) {
    return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS("X"), "v", AttributeValue.fromS(v));
  }

  private List<Record> recordsOf(DynamoDbStreamsClient streams, String arn, String shard, String pk) {
    String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    List<Record> all = new java.util.ArrayList<>();
    while (true) {
      String current = it;
      var page = streams.getRecords(b -> b.shardIterator(current).limit(1000));
      all.addAll(page.records());
      if (page.records().isEmpty()) break;
      it = page.nextShardIterator();
    }
    return all.stream().filter(r -> pk.equals(r.dynamodb().keys().get("PK").s())).toList();
  }

  @Test
  void writesAreStreamedWithBothImagesAndACancelledTransactionLeavesNoRecord() {
    try (DynamoDbStreamsClient streams = streams()) {
      String arn = stack.dynamo().describeTable(b -> b.tableName(stack.tableName)).table().latestStreamArn();
      assertNotNull(arn, "the table has a stream");
      var description = streams.describeStream(b -> b.streamArn(arn)).streamDescription();
      assertEquals("NEW_AND_OLD_IMAGES", description.streamViewTypeAsString());
      String shard = description.shards().get(0).shardId();

      String pk = "STREAM#" + UUID.randomUUID();
      stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(item(pk, "1")));
      stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(item(pk, "2")));
      String fresh = "STREAM#" + UUID.randomUUID();
      assertThrows(TransactionCanceledException.class, () -> stack.dynamo().transactWriteItems(b -> b.transactItems(
          TransactWriteItem.builder().put(Put.builder().tableName(stack.tableName).item(item(fresh, "x")).build()).build(),
          TransactWriteItem.builder().put(Put.builder().tableName(stack.tableName).item(item(pk, "3"))
              .conditionExpression("attribute_not_exists(PK)").build()).build())));

      List<Record> records = recordsOf(streams, arn, shard, pk);
      assertEquals(List.of("INSERT", "MODIFY"), records.stream().map(Record::eventNameAsString).toList());
      assertEquals("2", records.get(1).dynamodb().newImage().get("v").s());
      assertEquals("1", records.get(1).dynamodb().oldImage().get("v").s());
      assertNotNull(records.get(0).dynamodb().approximateCreationDateTime());
      assertTrue(recordsOf(streams, arn, shard, fresh).isEmpty(), "the cancelled transaction's put left no stream record");
    }
  }
}
