package com.enterpriseadmin.config;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crac.Context;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import org.crac.Resource;

/**
 * SnapStart priming of one function: an {@code org.crac} {@link Resource} its handler registers in
 * INIT (through {@link Wiring#primeBeforeSnapshot}), which Lambda's java21 runtime runs once, before it
 * takes the snapshot a published version restores from. It exercises the paths the first request
 * would otherwise pay for, and none of them writes:
 *
 * <ol>
 *   <li>the handler's own {@code handleRequest} on a synthetic event ({@link Event}): JSON decoding of
 *       the event, claims parsing and the admission, logging, routing, problem rendering, JSON encoding.
 *       An API event names a route no handler has, so no use case runs (404 {@code route-not-found});
 *       the triggers get a sign-up of a reserved address (PreSignUp: validated, nothing else) and a
 *       forgot-password confirmation (PostConfirmation: passed through, no profile);</li>
 *   <li>a JSON round trip of a fixed sample record ({@link #jsonRoundTrip}): Jackson's record, creator and
 *       (de)serializer machinery, which every request and answer type needs;</li>
 *   <li>for the functions that use the table: one consistent {@code GetItem} of
 *       {@link Keys#priming()}, a key no item ever has: the DynamoDB client's first request (credentials,
 *       endpoint rules, signer, marshallers, the HTTP connection), a {@code Query} of its partition and a
 *       {@code BatchGetItem} of it (each skipped if the role refuses it); then, for the functions that write
 *       credits, one {@code TransactWriteItems} that DynamoDB always cancels: an update of that key on the
 *       condition that it exists, with a condition check, a put and a delete of other keys of its partition
 *       ({@link #transactionPath}): the write path's marshalling and the cancellation's parsing; and one
 *       {@code PutItem} of the priming key conditioned on its existence ({@link #singleWritePath}), refused;</li>
 *   <li>for the functions that call Cognito: {@code AdminGetUser} of a user name that cannot exist
 *       (the user pool's user names are {@code sub} UUIDs and e-mail addresses).</li>
 * </ol>
 *
 * Nothing unique is made here (no id, no timestamp kept, no seeded generator): a snapshot is restored
 * in many execution environments at once. The audit of what INIT keeps is in docs/architecture.md
 * ("Cold starts and SnapStart"). A failed priming is logged and never fails the snapshot: the function
 * then works, only its first request is slower.
 */
public final class Priming implements Resource {

    /** The synthetic events, one per kind of handler. */
    public enum Event { API, PRE_SIGN_UP, POST_CONFIRMATION }

    /** The request id of every priming event: the logs of a priming say so. */
    public static final String REQUEST_ID = "snapstart-priming";
    /** The route of the API priming event: no handler has it (404 route-not-found, no use case runs). */
    static final String ROUTE = "GET /v1/snapstart-priming";
    /** A user name no user pool holds: user names are {@code sub} UUIDs or e-mail addresses. */
    static final String NO_SUCH_USER = "snapstart-priming";

    private final String function;
    private final RequestStreamHandler handler;
    private final byte[] event;
    private final List<Runnable> reads;

    /**
     * @param handler the handler, as its no-arg constructor built it
     * @param event   its synthetic event ({@link #event(Event, List)})
     * @param reads   the side-effect-free client requests to make after the event (table, Cognito)
     */
    public Priming(RequestStreamHandler handler, byte[] event, List<Runnable> reads) {
        this.function = handler.getClass().getSimpleName();
        this.handler = handler;
        this.event = event.clone();
        this.reads = List.copyOf(reads);
    }

    /**
     * The table's read paths on the priming key, which never holds an item: a consistent {@code GetItem}, a
     * {@code Query} of its partition (through the paginator, as every store's list reads) and a {@code BatchGetItem}:
     * their marshallers, the paginator and the answers' unmarshallers, which the first request of a function that
     * lists or batch-reads paid for (bench/README.md, the {@code primedtrace} mode: 152 DynamoDB model classes in
     * GetMe's first invocation after a GetItem-only priming). A read the function's role does not allow
     * ({@code AccessDeniedException}) is one its code never makes: skipped.
     */
    public static Runnable tableRead(Db db) {
        return () -> {
            db.get(Keys.priming()).ifPresent(Priming::written);
            ifAllowed(() -> db.queryAll(QueryRequest.builder().keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.priming().pk())))
                    .consistentRead(true)).forEach(Priming::written));
            ifAllowed(() -> db.batchGet(List.of(Keys.priming()), true).values().forEach(Priming::written));
        };
    }

    private static void written(Map<String, AttributeValue> item) {
        throw new IllegalStateException("the priming partition " + Keys.priming().pk() + " holds an item; nothing may write it");
    }

    /** Runs a priming request unless the function's role refuses it (then the function never makes it). */
    private static void ifAllowed(Runnable request) {
        try {
            request.run();
        } catch (DynamoDbException e) {
            if (!deniedByTheRole(e)) {
                throw e;
            }
        }
    }

    private static boolean deniedByTheRole(DynamoDbException e) {
        return e.awsErrorDetails() != null && "AccessDeniedException".equals(e.awsErrorDetails().errorCode());
    }

    /**
     * Jackson's paths for the request and answer types (records with creators, enums, {@code Instant}, nested
     * records, lists and maps): one value written and read back. The types' own (de)serializers are built at their
     * first use; what this loads and runs once is the machinery every one of them needs (introspection, creators, the
     * JDK record support): ~100 classes of a credit write's first invocation after the earlier priming.
     */
    public static Runnable jsonRoundTrip(Json json) {
        return () -> {
            String text = json.write(JsonSample.VALUE);
            if (!JsonSample.VALUE.equals(json.readBody(text, JsonSample.class))) {
                throw new IllegalStateException("the priming JSON sample did not survive a round trip: " + text);
            }
        };
    }

    /** The value {@link #jsonRoundTrip} writes and reads: fixed (nothing unique, nothing from the clock). */
    record JsonSample(String id, long amount, Instant at, Kind kind, String note, List<Line> lines, Map<String, Long> totals) {
        enum Kind { PRIMING }

        record Line(String name, int count) {}

        static final JsonSample VALUE = new JsonSample("snapstart-priming", 1, Instant.EPOCH, Kind.PRIMING, "priming",
                List.of(new Line("priming", 1)), Map.of("priming", 1L));
    }

    /**
     * The write path without a write: one {@code TransactWriteItems} of an update of the priming key on the
     * condition that it exists, which it never does, so DynamoDB cancels it (nothing is written). What an
     * admission's first transaction would otherwise load and run: the transaction's marshalling (an
     * {@code Update} with names, values and {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}), the
     * {@code TransactionCanceledException} and its cancellation reasons ({@code store/Tx}'s refusal path).
     */
    public static Runnable transactionPath(Db db) {
        return () -> {
            try {
                allActionKinds(db);
            } catch (DynamoDbException e) {
                if (!deniedByTheRole(e)) {
                    throw e;
                }
                // The role allows UpdateItem but not every kind of action: the update alone.
                Tx tx = db.tx();
                refused(tx, tx.update(Keys.priming()).set("#primed = :primed").name("#primed", "primed").value(":primed", 1)
                        .ifExists().label("priming").add());
            }
        };
    }

    /**
     * The transaction with every kind of action a credit write uses (update, condition check, put, delete), each on
     * a key of the priming partition, cancelled as a whole by the update's condition (the priming key never
     * exists): nothing is written, whatever the other actions' conditions say.
     */
    private static void allActionKinds(Db db) {
        Tx tx = db.tx();
        Tx.Action update = tx.update(Keys.priming()).set("#primed = :primed").name("#primed", "primed").value(":primed", 1)
                .ifExists().label("priming").add();
        tx.check(variant("CHECK")).ifExists().label("priming-check").add();
        tx.put(Map.of(Keys.PK, AttributeValue.fromS(variant("PUT").pk()), Keys.SK, AttributeValue.fromS(variant("PUT").sk())))
                .ifAbsent().label("priming-put").add();
        tx.delete(variant("DELETE")).ifExists().label("priming-delete").add();
        refused(tx, update);
    }

    private static void refused(Tx tx, Tx.Action conditioned) {
        Tx.Result result = tx.commit();
        if (!result.failed(conditioned)) {
            throw new IllegalStateException("the priming write was not refused: " + result.codes());
        }
    }

    /**
     * A single-item write without a write: one {@code PutItem} of the priming key on the condition that it exists,
     * which it never does, so DynamoDB refuses it ({@code ConditionalCheckFailedException}): the path of the stores'
     * single conditional writes ({@code Db.write()}: a profile, an invitation, a counter), which PostConfirmation's
     * first sign-up otherwise ran cold. Skipped if the role does not allow {@code PutItem}.
     */
    public static Runnable singleWritePath(Db db) {
        return () -> ifAllowed(() -> {
            Tx write = db.write();
            refused(write, write.put(Map.of(Keys.PK, AttributeValue.fromS(Keys.priming().pk()), Keys.SK, AttributeValue.fromS(Keys.priming().sk()),
                    "primed", AttributeValue.fromN("1"))).ifExists().label("priming-single-put").add());
        });
    }

    /** A key of the priming partition other than {@link Keys#priming()} (a transaction names each item once). */
    static Key variant(String name) {
        return new Key(Keys.priming().pk(), Keys.priming().sk() + "#" + name);
    }

    /** Cognito's answer for a user that does not exist: the client's request and error paths, no side effect. */
    static void cognitoRead(CognitoIdentityProviderClient cognito, String userPoolId) {
        try {
            cognito.adminGetUser(b -> b.userPoolId(userPoolId).username(NO_SUCH_USER));
            throw new IllegalStateException("user " + NO_SUCH_USER + " exists in " + userPoolId);
        } catch (UserNotFoundException expected) {
            // the answer priming asks for
        }
    }

    /**
     * How many times {@link #beforeCheckpoint} runs the priming: the first round loads and links the classes,
     * the next ones get the hottest methods compiled before the snapshot (bench/README.md measures 1 and this).
     */
    public static final int ROUNDS = 20;

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            long ms = 0;
            for (int i = 0; i < ROUNDS; i++) {
                ms += run();
            }
            Log.info("snapstart-primed", "handler", function, "rounds", ROUNDS, "ms", ms);
        } catch (RuntimeException | IOException e) {
            Log.error("snapstart-priming-failed", e, "handler", function);
        }
    }

    /** Nothing captured in INIT must be refreshed after a restore (docs/architecture.md). */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Intentionally empty: see the audit in docs/architecture.md.
    }

    /** Runs the priming once and returns how long it took, in ms; {@link #beforeCheckpoint} runs it {@link #ROUNDS} times. */
    public long run() throws IOException {
        long t0 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, PrimingContext.INSTANCE);
        if (out.size() == 0) {
            throw new IllegalStateException(function + " answered its priming event with nothing");
        }
        reads.forEach(Runnable::run);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * The synthetic event of a kind of handler. {@code allowedEmailDomains} is the configured list: the
     * priming address is at the first one (or {@code example.com}), so the admission and the sign-up
     * policy take their accepting path, as a real request's would.
     */
    public static byte[] event(Event kind, List<String> allowedEmailDomains) {
        String email = "snapstart-priming@" + (allowedEmailDomains.isEmpty() ? "example.com" : allowedEmailDomains.get(0));
        String json = switch (kind) {
            case API -> """
                    {"version": "2.0", "routeKey": "%1$s", "rawPath": "/v1/snapstart-priming",
                     "headers": {"content-type": "application/json", "accept": "application/json"},
                     "queryStringParameters": {"limit": "1"},
                     "requestContext": {"requestId": "%2$s", "http": {"method": "GET", "path": "/v1/snapstart-priming"},
                       "authorizer": {"jwt": {"claims": {"sub": "%2$s", "token_use": "id", "email": "%3$s",
                         "email_verified": "true", "name": "SnapStart priming"}}}},
                     "body": "{\\"priming\\": true}", "isBase64Encoded": false}
                    """.formatted(ROUTE, REQUEST_ID, email);
            // The triggers' events in the shape Cognito sends (caller context, null validation data, the response's
            // flags): the handler reads and writes back the whole tree, so its first real event meets no new JSON path.
            case PRE_SIGN_UP -> """
                    {"version": "1", "region": "us-east-1", "userPoolId": "us-east-1_priming", "userName": "%1$s",
                     "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "%1$s"},
                     "triggerSource": "PreSignUp_SignUp",
                     "request": {"userAttributes": {"email": "%2$s", "name": "SnapStart priming"}, "validationData": null},
                     "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}}
                    """.formatted(REQUEST_ID, email);
            case POST_CONFIRMATION -> """
                    {"version": "1", "region": "us-east-1", "userPoolId": "us-east-1_priming", "userName": "%1$s",
                     "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "%1$s"},
                     "triggerSource": "PostConfirmation_ConfirmForgotPassword",
                     "request": {"userAttributes": {"sub": "%1$s", "email": "%2$s", "email_verified": "true", "name": "SnapStart priming"}},
                     "response": {}}
                    """.formatted(REQUEST_ID, email);
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Lambda context of a priming invocation: request id {@link #REQUEST_ID}, the function's name from
     * {@code AWS_LAMBDA_FUNCTION_NAME} (set by Lambda in INIT), so that the handler runs its real context path.
     */
    // Lambda's Context, named in full: org.crac's Context is this class's other one.
    private static final class PrimingContext implements com.amazonaws.services.lambda.runtime.Context {
        static final PrimingContext INSTANCE = new PrimingContext();
        private static final String FUNCTION = Objects.requireNonNullElse(System.getenv("AWS_LAMBDA_FUNCTION_NAME"), "priming");
        private static final LambdaLogger LOGGER = new LambdaLogger() {
            @Override public void log(String message) { System.out.print(message); }
            @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
        };

        @Override public String getAwsRequestId() { return REQUEST_ID; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + FUNCTION; }
        @Override public String getLogStreamName() { return REQUEST_ID; }
        @Override public String getFunctionName() { return FUNCTION; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:::function:" + FUNCTION; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 15_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return LOGGER; }
    }
}
