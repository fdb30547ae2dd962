package com.enterpriseadmin.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The template's {@code DynamoDB} event sources, run as Lambda's event source mapping runs them on the table's
 * stream (moto's DynamoDB Streams: DescribeStream, GetShardIterator, GetRecords on the moto that serves the table):
 * one reader per shard, records in order, batches of up to {@code BatchSize} (waiting up to
 * {@code MaximumBatchingWindowInSeconds} to fill one), at least once. A batch is retried until it succeeds, and
 * nothing after it in the shard is delivered meanwhile:
 *
 * <ul>
 *   <li>a function error fails the whole batch; with {@code ReportBatchItemFailures}, the answer's
 *       {@code batchItemFailures} (sequence numbers) checkpoint the batch before the lowest one and fail the rest; an
 *       answer naming a record not in the batch fails the whole batch;
 *   <li>with {@code BisectBatchOnFunctionError} the failed records, if more than one, are split in two and each half
 *       retried (a split does not count as a retry; a poison record ends up alone); otherwise they are retried
 *       together;
 *   <li>after {@code MaximumRetryAttempts} retries the (rest of the) batch is skipped and, with
 *       {@code DestinationConfig.OnFailure}, a record describing it (Lambda's on-failure record with
 *       {@code DDBStreamBatchInfo}) is sent to that SQS queue.
 * </ul>
 *
 * <p>{@link #redeliver} (the invoke port's {@code POST /local/streams}) makes every batch be delivered twice, to
 * test that the consumer is idempotent. Records are read from TRIM_HORIZON unless the event says {@code LATEST}.
 */
class StreamPollers implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long IDLE_PAUSE_MS = 200;
  private static final long RETRY_PAUSE_MS = 200;

  /** Invokes the function with an event; answers its output. */
  interface Invoker {
    byte[] invoke(Template.StreamEvent source, byte[] event, String requestId) throws Exception;
  }

  /** A delivered record: its sequence number and the event's record (Lambda's JSON). */
  record StreamedRecord(String sequenceNumber, ObjectNode json, Instant arrival) {}

  /** Test knob: every batch delivered twice. */
  final AtomicBoolean redeliver = new AtomicBoolean();

  private final Template template;
  private final String region;
  private final QueuePollers.Log log;
  private final Invoker invoker;
  private final ExecutorService threads;
  private volatile boolean closed;
  private DynamoDbStreamsClient streams;
  private SqsClient sqs;
  private final Map<String, String> queueUrls = new LinkedHashMap<>();

  StreamPollers(Template template, Functions functions, String region, QueuePollers.Log log) {
    this(template, region, log, (source, event, requestId) -> functions.invoke(template.function(source.functionId()), event, requestId));
  }

  StreamPollers(Template template, String region, QueuePollers.Log log, Invoker invoker) {
    this.template = template;
    this.region = region;
    this.log = log;
    this.invoker = invoker;
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dynamodb-event-source");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts one reader per DynamoDB event source and shard; the stream is the table's (named as {@link LocalStack}
   * names it) on {@code AWS_ENDPOINT_URL}, the on-failure queues on {@code AWS_ENDPOINT_URL_SQS}.
   */
  void start() {
    if (template.streamEvents().isEmpty()) {
      return;
    }
    streams = LocalAws.client(DynamoDbStreamsClient.builder(), region, "AWS_ENDPOINT_URL");
    String tableName = LocalStack.tableName(template.table().logicalId());
    String streamArn = streams.listStreams(b -> b.tableName(tableName)).streams().stream().findFirst()
        .orElseThrow(() -> new IllegalStateException("table " + tableName + " has no stream")).streamArn();
    for (Template.StreamEvent source : template.streamEvents()) {
      for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
        threads.submit(() -> read(source, streamArn, shard.shardId()));
      }
    }
  }

  private void read(Template.StreamEvent source, String streamArn, String shardId) {
    String iterator = null;
    List<StreamedRecord> buffer = new ArrayList<>();
    long windowStarted = 0;
    while (!closed) {
      try {
        if (iterator == null) {
          ShardIteratorType type = "LATEST".equals(source.startingPosition()) ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
          iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(type)).shardIterator();
        }
        String current = iterator;
        int room = source.batchSize() - buffer.size();
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(Math.min(1000, room)));
        iterator = page.nextShardIterator();
        if (buffer.isEmpty() && !page.records().isEmpty()) {
          windowStarted = System.nanoTime();
        }
        for (Record r : page.records()) {
          buffer.add(new StreamedRecord(r.dynamodb().sequenceNumber(), lambdaRecord(r, streamArn), arrival(r.dynamodb())));
        }
        if (buffer.isEmpty()) {
          Thread.sleep(IDLE_PAUSE_MS);
          continue;
        }
        long waited = System.nanoTime() - windowStarted;
        if (buffer.size() < source.batchSize() && waited < TimeUnit.SECONDS.toNanos(source.batchingWindowSeconds())) {
          Thread.sleep(Math.min(IDLE_PAUSE_MS, TimeUnit.NANOSECONDS.toMillis(TimeUnit.SECONDS.toNanos(source.batchingWindowSeconds()) - waited) + 1));
          continue;
        }
        deliver(source, streamArn, shardId, List.copyOf(buffer));
        buffer.clear();
        if (iterator == null) return; // the shard is closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed) return;
        log.failure(source.functionId(), "stream-poller", e);
        pause(IDLE_PAUSE_MS);
      }
    }
  }

  /**
   * Delivers one batch as Lambda does (retries, partial batch responses, bisection, retry limit, on-failure
   * destination); returns when every record is either processed or skipped.
   */
  void deliver(Template.StreamEvent source, String streamArn, String shardId, List<StreamedRecord> batch) {
    Deque<List<StreamedRecord>> pending = new ArrayDeque<>();
    pending.add(batch);
    int retries = 0;
    while (!pending.isEmpty() && !closed) {
      List<StreamedRecord> part = pending.removeFirst();
      int invocations = redeliver.get() ? 2 : 1;
      int failedFrom = -1;
      boolean functionError = false;
      for (int i = 0; i < invocations; i++) {
        Attempt attempt = invoke(source, streamArn, part, retries);
        functionError |= attempt.functionError();
        if (attempt.failedFrom() >= 0) {
          failedFrom = failedFrom < 0 ? attempt.failedFrom() : Math.min(failedFrom, attempt.failedFrom());
        }
      }
      if (failedFrom < 0) {
        retries = 0;
        continue;
      }
      List<StreamedRecord> rest = part.subList(failedFrom, part.size());
      if (source.bisectOnError() && rest.size() > 1) {
        int half = rest.size() / 2;
        pending.addFirst(List.copyOf(rest.subList(half, rest.size())));
        pending.addFirst(List.copyOf(rest.subList(0, half)));
        continue;
      }
      if (source.maximumRetryAttempts() >= 0 && retries >= source.maximumRetryAttempts()) {
        skip(source, streamArn, shardId, rest, retries + 1, functionError);
        retries = 0;
        continue;
      }
      retries++;
      pending.addFirst(List.copyOf(rest));
      pause(RETRY_PAUSE_MS * Math.min(retries, 5));
    }
  }

  /** One invocation's outcome: the index of the first record to retry (-1: none), and whether the function failed. */
  private record Attempt(int failedFrom, boolean functionError) {}

  private Attempt invoke(Template.StreamEvent source, String streamArn, List<StreamedRecord> part, int retries) {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "dynamodb-stream");
    line.put("requestId", requestId);
    line.put("function", source.functionId());
    line.put("records", part.size());
    line.put("firstSequenceNumber", part.get(0).sequenceNumber());
    line.put("retry", retries);
    Attempt attempt;
    try {
      byte[] output = invoker.invoke(source, event(part), requestId);
      int from = source.reportBatchItemFailures() ? failedFrom(output, part) : -1;
      attempt = new Attempt(from, false);
      line.put("status", 200);
      line.put("failedFrom", from);
    } catch (Exception e) {
      log.failure(source.functionId(), requestId, e);
      attempt = new Attempt(0, true);
      line.put("status", 500);
    }
    line.put("durationMs", (System.nanoTime() - started) / 1_000_000);
    log.batch(line);
    return attempt;
  }

  /**
   * The index of the first record to retry after a {@code batchItemFailures} answer (the lowest sequence number
   * it names), -1 when it names none; like Lambda, an answer naming a record not in the batch (or an empty
   * identifier) fails the whole batch (0). No answer, or an answer without the field: success.
   */
  static int failedFrom(byte[] output, List<StreamedRecord> part) {
    try {
      JsonNode answer = output.length == 0 ? JSON.nullNode() : JSON.readTree(output);
      if (answer == null || answer.isNull() || !answer.has("batchItemFailures")) {
        return -1;
      }
      int lowest = -1;
      for (JsonNode f : answer.path("batchItemFailures")) {
        String id = f.path("itemIdentifier").asText("");
        int index = -1;
        for (int i = 0; i < part.size(); i++) {
          if (part.get(i).sequenceNumber().equals(id)) index = i;
        }
        if (index < 0) return 0;
        lowest = lowest < 0 ? index : Math.min(lowest, index);
      }
      return lowest;
    } catch (IOException e) {
      return 0;
    }
  }

  private void skip(Template.StreamEvent source, String streamArn, String shardId, List<StreamedRecord> rest, int invokeCount,
                    boolean functionError) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "dynamodb-stream-skipped");
    line.put("function", source.functionId());
    line.put("records", rest.size());
    line.put("firstSequenceNumber", rest.get(0).sequenceNumber());
    line.put("lastSequenceNumber", rest.get(rest.size() - 1).sequenceNumber());
    line.put("onFailure", source.onFailureQueueId());
    log.batch(line);
    if (source.onFailureQueueId() == null) {
      return;
    }
    try {
      sendOnFailureRecord(source.onFailureQueueId(), onFailureRecord(source, streamArn, shardId, rest, invokeCount, functionError));
    } catch (RuntimeException | IOException e) {
      log.failure(source.functionId(), "stream-on-failure", e);
    }
  }

  /** Lambda's on-failure record for a stream batch: the batch's metadata, not its records. */
  byte[] onFailureRecord(Template.StreamEvent source, String streamArn, String shardId, List<StreamedRecord> rest, int invokeCount,
                         boolean functionError) throws IOException {
    ObjectNode record = JSON.createObjectNode();
    ObjectNode request = record.putObject("requestContext");
    request.put("requestId", UUID.randomUUID().toString());
    request.put("functionArn", "arn:aws:lambda:" + region + ":" + LocalAws.ACCOUNT_ID + ":function:" + source.functionId());
    request.put("condition", "RetryAttemptsExhausted");
    request.put("approximateInvokeCount", invokeCount);
    ObjectNode response = record.putObject("responseContext");
    response.put("statusCode", 200);
    response.put("executedVersion", "$LATEST");
    if (functionError) response.put("functionError", "Unhandled");
    record.put("version", "1.0");
    record.put("timestamp", Instant.now().toString());
    ObjectNode info = record.putObject("DDBStreamBatchInfo");
    info.put("shardId", shardId);
    info.put("startSequenceNumber", rest.get(0).sequenceNumber());
    info.put("endSequenceNumber", rest.get(rest.size() - 1).sequenceNumber());
    info.put("approximateArrivalOfFirstRecord", rest.get(0).arrival().toString());
    info.put("approximateArrivalOfLastRecord", rest.get(rest.size() - 1).arrival().toString());
    info.put("batchSize", rest.size());
    info.put("streamArn", streamArn);
    return JSON.writeValueAsBytes(record);
  }

  /** Sends the record to the template queue {@code queueId} (on {@code AWS_ENDPOINT_URL_SQS}). */
  synchronized void sendOnFailureRecord(String queueId, byte[] record) {
    if (sqs == null) {
      sqs = LocalAws.client(SqsClient.builder(), region, "AWS_ENDPOINT_URL_SQS");
    }
    String url = queueUrls.computeIfAbsent(queueId, id -> sqs.getQueueUrl(b -> b.queueName(LocalStack.queueName(id))).queueUrl());
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(new String(record, java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** The event Lambda delivers for a batch of stream records. */
  static byte[] event(List<StreamedRecord> part) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    part.forEach(r -> records.add(r.json()));
    return JSON.writeValueAsBytes(event);
  }

  /** A stream record as Lambda puts it in the event (DynamoDB JSON images, the creation time in epoch seconds). */
  ObjectNode lambdaRecord(Record r, String streamArn) {
    ObjectNode json = JSON.createObjectNode();
    json.put("eventID", r.eventID());
    json.put("eventName", r.eventNameAsString());
    json.put("eventVersion", "1.1");
    json.put("eventSource", "aws:dynamodb");
    json.put("awsRegion", region);
    StreamRecord d = r.dynamodb();
    ObjectNode dynamodb = json.putObject("dynamodb");
    dynamodb.put("ApproximateCreationDateTime", arrival(d).getEpochSecond());
    dynamodb.set("Keys", image(d.keys()));
    if (d.hasNewImage()) dynamodb.set("NewImage", image(d.newImage()));
    if (d.hasOldImage()) dynamodb.set("OldImage", image(d.oldImage()));
    dynamodb.put("SequenceNumber", d.sequenceNumber());
    dynamodb.put("SizeBytes", d.sizeBytes() == null ? 0 : d.sizeBytes());
    dynamodb.put("StreamViewType", d.streamViewTypeAsString());
    json.put("eventSourceARN", streamArn);
    return json;
  }

  private static Instant arrival(StreamRecord d) {
    return d.approximateCreationDateTime() == null ? Instant.now() : d.approximateCreationDateTime();
  }

  static ObjectNode image(Map<String, AttributeValue> item) {
    ObjectNode node = JSON.createObjectNode();
    item.forEach((name, value) -> node.set(name, attribute(value)));
    return node;
  }

  private static ObjectNode attribute(AttributeValue v) {
    ObjectNode node = JSON.createObjectNode();
    switch (v.type()) {
      case S -> node.put("S", v.s());
      case N -> node.put("N", v.n());
      case B -> node.put("B", java.util.Base64.getEncoder().encodeToString(v.b().asByteArray()));
      case BOOL -> node.put("BOOL", v.bool());
      case NUL -> node.put("NULL", true);
      case SS -> v.ss().forEach(node.putArray("SS")::add);
      case NS -> v.ns().forEach(node.putArray("NS")::add);
      case BS -> {
        ArrayNode bs = node.putArray("BS");
        v.bs().forEach(b -> bs.add(java.util.Base64.getEncoder().encodeToString(b.asByteArray())));
      }
      case L -> {
        ArrayNode l = node.putArray("L"); // an empty list stays {"L": []}
        v.l().forEach(e -> l.add(attribute(e)));
      }
      case M -> node.set("M", image(v.m()));
      default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
    }
    return node;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.shutdownNow();
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (streams != null) streams.close();
    if (sqs != null) sqs.close();
  }
}
