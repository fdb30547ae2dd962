package com.enterpriseadmin.it;

import com.enterpriseadmin.local.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The stack every IT and end-to-end test of this JVM talks to: ONE {@link LocalStack} on free
 * ports, started on first use and stopped at JVM exit; or, when the environment variable
 * {@code STACK_FILE} names a {@code stack.json} (e.g. {@code .local/stack.json} of a running
 * {@code ./run-local}), that stack. Tests only ever see endpoints, never how the stack was made.
 */
public final class TestStack {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /**
   * The {@code AllowedEmailDomains} this JVM starts its own stack with: every test user is at
   * example.com, and the domain rule is then checked end to end on every request.
   */
  public static final String ALLOWED_EMAIL_DOMAINS = "example.com";
  private static TestStack instance;
  private static IllegalStateException failure;

  /** A signed-up, confirmed and signed-in user. */
  public record User(String email, String password, String name, String idToken) {}

  /** An HTTP answer; {@link #json()} parses the body. */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("body is not JSON: " + body, e);
      }
    }
  }

  public final String apiUrl;
  /** The Lambda Invoke API of the local runtime; null for a stack that has none. */
  public final String invokeUrl;
  public final String tableName;
  /** The local SQS (the template's queues, named {@code LocalStack.queueName}); null for a stack that has none. */
  public final String sqsEndpoint;
  public final String poolId;
  public final String clientId;
  public final String region;
  public final Path root;
  /** The stack's AllowedEmailDomains when this JVM started it; empty for a stack from STACK_FILE (unknown). */
  public final java.util.Optional<String> allowedEmailDomains;
  /**
   * The folder the stack's processes log to ({@code runtime.log}: the local runtime's request lines and the
   * functions' JSON lines; {@code cognito.log}, {@code moto.log}) when this JVM started the stack; empty for a
   * stack from STACK_FILE (its logs are not ours to read).
   */
  public final java.util.Optional<Path> logDir;
  private final DynamoDbClient dynamo;
  private final CognitoIdentityProviderClient cognito;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static synchronized TestStack get() {
    if (failure != null) throw failure; // started once per JVM: no retry per test class
    if (instance == null) {
      try {
        instance = start();
      } catch (Exception e) {
        failure = new IllegalStateException("cannot start the local stack: " + e.getMessage(), e);
        throw failure;
      }
    }
    return instance;
  }

  private static TestStack start() throws Exception {
    Path root = repositoryRoot();
    String stackFile = System.getenv("STACK_FILE");
    if (stackFile != null && !stackFile.isBlank()) {
      LocalStack.Info info = JSON.readValue(Path.of(stackFile).toFile(), LocalStack.Info.class);
      return new TestStack(root, info, java.util.Optional.empty(), java.util.Optional.empty());
    }
    return startOwn(root, null);
  }

  /**
   * A stack of this JVM's own (never STACK_FILE's) whose functions meet injected DynamoDB faults
   * ({@code LocalStack --dynamodb-faults}): one per spec, started on first use and stopped at JVM exit.
   */
  public static synchronized TestStack withDynamoDbFaults(String spec) {
    return FAULTED.computeIfAbsent(spec, s -> {
      try {
        return startOwn(repositoryRoot(), s);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start a local stack with --dynamodb-faults " + s + ": " + e.getMessage(), e);
      }
    });
  }

  private static final Map<String, TestStack> FAULTED = new java.util.HashMap<>();

  /**
   * A stack of this JVM's own whose template parameters are overridden (e.g. a higher invitation limit for a test of
   * volume): one per set of parameters, started on first use and stopped at JVM exit.
   */
  public static synchronized TestStack withParameters(Map<String, String> parameters) {
    return PARAMETERIZED.computeIfAbsent(Map.copyOf(parameters), p -> {
      try {
        return startOwn(repositoryRoot(), null, p);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start a local stack with parameters " + p + ": " + e.getMessage(), e);
      }
    });
  }

  private static final Map<Map<String, String>, TestStack> PARAMETERIZED = new java.util.HashMap<>();

  private static TestStack startOwn(Path root, String dynamodbFaults) throws Exception {
    return startOwn(root, dynamodbFaults, Map.of());
  }

  private static TestStack startOwn(Path root, String dynamodbFaults, Map<String, String> parameters) throws Exception {
    // A state dir of its own (logs kept for a post-mortem): test JVMs may run side by side.
    Path target = Files.createDirectories(root.resolve("it/target"));
    Map<String, String> all = new java.util.HashMap<>(parameters);
    all.put("AllowedEmailDomains", ALLOWED_EMAIL_DOMAINS);
    LocalStack.Options options = LocalStack.Options.forTests(root, Files.createTempDirectory(target, "local-stack-"))
        .with(Map.copyOf(all), dynamodbFaults);
    LocalStack stack = LocalStack.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "test-stack-stop"));
    return new TestStack(root, stack.info(), java.util.Optional.of(ALLOWED_EMAIL_DOMAINS),
        java.util.Optional.of(options.stateDir().resolve("logs")));
  }

  private TestStack(Path root, LocalStack.Info info, java.util.Optional<String> allowedEmailDomains,
      java.util.Optional<Path> logDir) {
    this.root = root;
    this.logDir = logDir;
    this.allowedEmailDomains = allowedEmailDomains;
    this.apiUrl = strip(info.apiUrl());
    this.invokeUrl = info.invokeUrl() == null ? null : strip(info.invokeUrl());
    this.tableName = info.tableName();
    this.sqsEndpoint = info.sqsEndpoint();
    this.poolId = info.userPoolId();
    this.clientId = info.userPoolClientId();
    this.region = info.region();
    // Emulators take any key; a real account (or another emulator) uses the default chain.
    AwsCredentialsProvider credentials = System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    var dynamoBuilder = DynamoDbClient.builder().region(Region.of(region)).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    if (info.dynamodbEndpoint() != null) dynamoBuilder.endpointOverride(URI.create(info.dynamodbEndpoint()));
    this.dynamo = dynamoBuilder.build();
    var cognitoBuilder = CognitoIdentityProviderClient.builder().region(Region.of(region)).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    if (info.cognitoEndpoint() != null) cognitoBuilder.endpointOverride(URI.create(info.cognitoEndpoint()));
    this.cognito = cognitoBuilder.build();
  }

  /** The folder holding template.yaml, from the working directory up. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("template.yaml"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    return dir;
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public CognitoIdentityProviderClient cognito() {
    return cognito;
  }

  // ------------------------------------------------------------------------------ users

  /** Cognito SignUp (fires PreSignUp); returns the user's sub. */
  public String signUp(String email, String password, String name) {
    return cognito.signUp(b -> b.clientId(clientId).username(email).password(password).userAttributes(
        AttributeType.builder().name("email").value(email).build(),
        AttributeType.builder().name("name").value(name).build())).userSub();
  }

  /**
   * Confirms the sign-up as if the user had entered the code e-mailed to them: {@code
   * email_verified=true}, then AdminConfirmSignUp (fires PostConfirmation). AdminConfirmSignUp
   * alone leaves {@code email_verified} false, in AWS and in cognito-local alike.
   */
  public void confirm(String email) {
    cognito.adminUpdateUserAttributes(b -> b.userPoolId(poolId).username(email)
        .userAttributes(AttributeType.builder().name("email").value(email).build(),
            AttributeType.builder().name("email_verified").value("true").build()));
    cognito.adminConfirmSignUp(b -> b.userPoolId(poolId).username(email));
  }

  /** InitiateAuth USER_PASSWORD_AUTH; returns the ID token. */
  public String signIn(String email, String password) {
    return cognito.initiateAuth(b -> b.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
        .authParameters(Map.of("USERNAME", email, "PASSWORD", password))).authenticationResult().idToken();
  }

  /** Both tokens of a sign-in's AuthenticationResult. */
  public record Tokens(String idToken, String accessToken) {}

  /** InitiateAuth USER_PASSWORD_AUTH; returns the ID token and the access token. */
  public Tokens signInTokens(String email, String password) {
    var result = cognito.initiateAuth(b -> b.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
        .authParameters(Map.of("USERNAME", email, "PASSWORD", password))).authenticationResult();
    return new Tokens(result.idToken(), result.accessToken());
  }

  /**
   * Changes a user's e-mail with the admin API (AdminUpdateUserAttributes {@code email} and
   * {@code email_verified}), as after the user typed the code sent to the new address (verified) or
   * before they did. {@code username}: any name the pool resolves (the current address, or the sub).
   * Beware: cognito-local 5.3.0 mints {@code email_verified: true} in ID tokens whenever the attribute is
   * present, even as "false"; an unverified user there is one whose attribute was never set.
   */
  public void setEmail(String username, String email, boolean verified) {
    cognito.adminUpdateUserAttributes(b -> b.userPoolId(poolId).username(username)
        .userAttributes(AttributeType.builder().name("email").value(email).build(),
            AttributeType.builder().name("email_verified").value(Boolean.toString(verified)).build()));
  }

  /** A fresh user with a unique e-mail address: signed up, confirmed and signed in. */
  public User newUser() {
    return newUser("example.com");
  }

  public User newUser(String domain) {
    String email = "user-" + UUID.randomUUID().toString().substring(0, 12) + "@" + domain;
    String password = "Correct-Horse-42-" + UUID.randomUUID().toString().substring(0, 6);
    String name = "Test " + email.substring(5, 11);
    signUp(email, password, name);
    confirm(email);
    return new User(email, password, name, signIn(email, password));
  }

  // ------------------------------------------------------------------------------ HTTP

  public Response get(String path, String idToken) {
    return send("GET", path, idToken, null);
  }

  public Response post(String path, String idToken, Object body) {
    return send("POST", path, idToken, body);
  }

  /** {@code body}: null, a String (sent as is) or any object (sent as JSON). */
  public Response send(String method, String path, String idToken, Object body) {
    try {
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(30))
          .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) request.header("Content-Type", "application/json");
      if (idToken != null) request.header("Authorization", "Bearer " + idToken);
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Invokes a function of the template (logical id) through the Lambda Invoke API, like a
   * trigger or a schedule would, and returns its output. A function error fails the test.
   */
  public JsonNode invoke(String function, String payload) {
    if (invokeUrl == null) throw new UnsupportedOperationException("this stack has no invokeUrl");
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(invokeUrl + "/2015-03-31/functions/" + function + "/invocations"))
          // The reconciliation folds every organization the suite created; on a loaded 2-core machine that
          // takes minutes (the function itself has 900 s).
          .timeout(Duration.ofSeconds(300)).POST(HttpRequest.BodyPublishers.ofString(payload == null ? "{}" : payload)).build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || r.headers().firstValue("X-Amz-Function-Error").isPresent()) {
        throw new AssertionError(function + " failed (" + r.statusCode() + "): " + r.body());
      }
      return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("invoke " + function + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The faults the runtime injected so far ({@code GET /local/dynamodb-faults}: spec, active, attempts and
   * {@code faults} by kind); {@code active} given: pauses or resumes them first.
   */
  public JsonNode dynamodbFaults(java.util.Optional<Boolean> active) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(invokeUrl + "/local/dynamodb-faults")).timeout(Duration.ofSeconds(10));
      if (active.isPresent()) request.POST(HttpRequest.BodyPublishers.ofString("{\"active\":" + active.get() + "}"));
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new AssertionError("/local/dynamodb-faults answered " + r.statusCode() + ": " + r.body());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("/local/dynamodb-faults: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Headers a test may want to pass besides the token. */
  public Response send(String method, String path, Map<String, String> headers, String body) {
    return send(method, path, headers, body, Duration.ofSeconds(30));
  }

  /**
   * With a longer wait than API Gateway's 30 s, for a request whose many writes the local DynamoDB emulator serialises
   * (one that deployed answers well within it): the local runtime does not cut requests at 30 s.
   */
  public Response send(String method, String path, Map<String, String> headers, String body, Duration timeout) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(timeout)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
