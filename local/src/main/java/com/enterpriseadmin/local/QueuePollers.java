package com.enterpriseadmin.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The template's {@code SQS} event sources, run as Lambda's event source mapping runs them: each polls
 * its queue (up to {@code BatchSize} messages), invokes the function with an SQS event, and deletes the
 * messages it handled. A function error leaves the whole batch on the queue; with
 * {@code ReportBatchItemFailures} the {@code batchItemFailures} it answers stay (and only they). What
 * stays comes back after the queue's visibility timeout, and goes to the dead-letter queue after
 * {@code maxReceiveCount} receives (moto applies the redrive policy).
 *
 * <p>Short polls ({@code WaitTimeSeconds 0}) and a pause when the queue is empty: the local SQS (moto)
 * serves one request at a time, so a long poll would hold everyone else's requests.
 */
final class QueuePollers implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long IDLE_PAUSE_MS = 500;

  /** What the pollers report: one line per batch, and failures. */
  interface Log {
    void batch(Map<String, Object> line);

    void failure(String functionId, String requestId, Exception e);
  }

  private final Template template;
  private final Functions functions;
  private final String region;
  private final Log log;
  private final ExecutorService threads;
  private volatile boolean closed;
  private SqsClient sqs;

  QueuePollers(Template template, Functions functions, String region, Log log) {
    this.template = template;
    this.functions = functions;
    this.region = region;
    this.log = log;
    this.threads = Executors.newFixedThreadPool(Math.max(1, template.queueEvents().size()), r -> {
      Thread t = new Thread(r, "sqs-event-source");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts one poller per SQS event source; the queue endpoint is {@code AWS_ENDPOINT_URL_SQS} (else the SDK's). */
  void start() {
    if (template.queueEvents().isEmpty()) {
      return;
    }
    sqs = LocalAws.client(SqsClient.builder(), region, "AWS_ENDPOINT_URL_SQS");
    for (Template.QueueEvent source : template.queueEvents()) {
      String queueUrl = sqs.getQueueUrl(b -> b.queueName(LocalStack.queueName(source.queueId()))).queueUrl();
      threads.submit(() -> poll(source, queueUrl));
    }
  }

  private void poll(Template.QueueEvent source, String queueUrl) {
    while (!closed) {
      try {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, source.batchSize()))
            .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
          Thread.sleep(IDLE_PAUSE_MS);
          continue;
        }
        deliver(source, queueUrl, messages);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.failure(source.functionId(), "sqs-poller", e);
        sleepQuietly();
      }
    }
  }

  /** One invocation with the batch; deletes what the function handled. */
  void deliver(Template.QueueEvent source, String queueUrl, List<Message> messages) {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "sqs");
    line.put("requestId", requestId);
    line.put("function", source.functionId());
    line.put("messages", messages.size());
    Set<String> keep = new HashSet<>();
    try {
      byte[] output = functions.invoke(template.function(source.functionId()), event(source, queueUrl, messages), requestId);
      if (source.reportBatchItemFailures()) {
        keep.addAll(failures(output, messages));
      }
      line.put("status", 200);
    } catch (Functions.InvocationException | IOException e) {
      log.failure(source.functionId(), requestId, e);
      messages.forEach(m -> keep.add(m.messageId()));
      line.put("status", 500);
    }
    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
    for (Message m : messages) {
      if (!keep.contains(m.messageId())) {
        done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(m.receiptHandle()).build());
      }
    }
    if (!done.isEmpty()) {
      sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
    }
    line.put("deleted", done.size());
    line.put("failed", keep.size());
    line.put("durationMs", (System.nanoTime() - started) / 1_000_000);
    log.batch(line);
  }

  /**
   * The message ids the function answered as {@code batchItemFailures}; like Lambda, an answer that names
   * a message not in the batch (or is not such an answer) fails the whole batch.
   */
  static Set<String> failures(byte[] output, List<Message> messages) {
    Set<String> all = new HashSet<>();
    messages.forEach(m -> all.add(m.messageId()));
    try {
      JsonNode answer = output.length == 0 ? JSON.nullNode() : JSON.readTree(output);
      if (answer.isNull() || !answer.has("batchItemFailures")) {
        return Set.of();
      }
      Set<String> failed = new HashSet<>();
      for (JsonNode f : answer.path("batchItemFailures")) {
        String id = f.path("itemIdentifier").asText("");
        if (!all.contains(id)) {
          return all;
        }
        failed.add(id);
      }
      return failed;
    } catch (IOException e) {
      return all;
    }
  }

  /** The event Lambda delivers for a batch of SQS messages. */
  byte[] event(Template.QueueEvent source, String queueUrl, List<Message> messages) throws IOException {
    String[] path = URI.create(queueUrl).getPath().split("/");
    String arn = "arn:aws:sqs:" + region + ":" + LocalAws.ACCOUNT_ID + ":" + path[path.length - 1];
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : messages) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      r.putObject("messageAttributes");
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", arn);
      r.put("awsRegion", region);
    }
    return JSON.writeValueAsBytes(event);
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(IDLE_PAUSE_MS);
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
    if (sqs != null) {
      sqs.close();
    }
  }
}
