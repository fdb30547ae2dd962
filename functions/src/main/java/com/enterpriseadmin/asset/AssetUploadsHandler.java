package com.enterpriseadmin.asset;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code AssetUploadsFunction}: the two ways an upload completes without its route.
 * <ul>
 *   <li>the bucket's {@code ObjectCreated} event (S3 notification, {@code Records[].s3.object.key}, URL-encoded):
 *       the upload of that key is checked and settled, unless the route or an earlier delivery did it already;</li>
 *   <li>its schedule (EventBridge "Scheduled Event"): uploads started more than an hour before the event's
 *       {@code time} are completed if their file came, else abandoned and their quota reservation released.</li>
 * </ul>
 * Failures are rethrown: S3 and EventBridge deliver again, and every step is idempotent.
 */
public final class AssetUploadsHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<Assets> assets;
    private final Clock clock;

    public AssetUploadsHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::assets, Wiring.get().clock());
    }

    AssetUploadsHandler(ObjectMapper mapper, Supplier<Assets> assets, Clock clock) {
        this.mapper = mapper;
        this.assets = assets;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        Log.begin("AssetUploads", context == null ? null : context.getAwsRequestId());
        var result = mapper.createObjectNode();
        if (event.path("Records").isArray()) {
            int completed = 0;
            for (JsonNode record : event.path("Records")) {
                if (!record.path("eventName").asText("").startsWith("ObjectCreated:")) {
                    continue;
                }
                String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(""), StandardCharsets.UTF_8);
                assets.get().objectCreated(key);
                completed++;
            }
            Log.info("asset-events", "records", completed);
            result.put("records", completed);
        } else if ("Scheduled Event".equals(event.path("detail-type").asText())) {
            Instant now = event.hasNonNull("time") ? Instant.parse(event.path("time").asText()) : clock.instant();
            int settled = assets.get().sweepUploads(now);
            Log.info("asset-uploads-swept", "settled", settled);
            result.put("settled", settled);
        } else {
            throw new IllegalArgumentException("neither an S3 event nor a scheduled event");
        }
        mapper.writeValue(output, result);
    }
}
