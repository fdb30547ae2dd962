package com.enterpriseadmin.config;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.crac.Context;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
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
 *   <li>for the functions that use the table: one consistent {@code GetItem} of
 *       {@link Keys#priming()}, a key no item ever has: the DynamoDB client's first request (credentials,
 *       endpoint rules, signer, marshallers, the HTTP connection); then one {@code TransactWriteItems} that
 *       DynamoDB always cancels, an update of that key on the condition that it exists
 *       ({@link #transactionPath}): the write path's marshalling and the cancellation's parsing;</li>
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

    /** The read of the table's priming key, which never holds an item. */
    public static Runnable tableRead(Db db) {
        return () -> db.get(Keys.priming()).ifPresent(item -> {
            throw new IllegalStateException("the priming key " + Keys.priming() + " holds an item; nothing may write it");
        });
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
            Tx tx = db.tx();
            Tx.Action update = tx.update(Keys.priming()).set("#primed = :primed").name("#primed", "primed").value(":primed", 1)
                    .ifExists().label("priming").add();
            Tx.Result result = tx.commit();
            if (!result.failed(update)) {
                throw new IllegalStateException("the priming transaction was not refused: " + result.codes());
            }
        };
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
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
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
            case PRE_SIGN_UP -> """
                    {"version": "1", "userName": "%1$s", "triggerSource": "PreSignUp_SignUp",
                     "request": {"userAttributes": {"email": "%2$s"}}, "response": {}}
                    """.formatted(REQUEST_ID, email);
            case POST_CONFIRMATION -> """
                    {"version": "1", "userName": "%1$s", "triggerSource": "PostConfirmation_ConfirmForgotPassword",
                     "request": {"userAttributes": {"sub": "%1$s", "email": "%2$s"}}, "response": {}}
                    """.formatted(REQUEST_ID, email);
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
