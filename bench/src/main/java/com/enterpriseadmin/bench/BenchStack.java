package com.enterpriseadmin.bench;

import com.enterpriseadmin.local.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * A {@link LocalStack} of the benchmark's own (free ports, schedules off, the table stream's readers off, state under
 * {@code bench/target/}) and the same set-up flow as the integration tests' {@code CreditFixture}:
 * users sign up in cognito-local (email_verified=true, confirmed, signed in: real ID tokens), and
 * organizations, invitations, teams and team members are made through the HTTP API.
 */
final class BenchStack implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, HttpResponseHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("body is not JSON: " + body, e);
      }
    }
  }

  /** The response headers we look at. */
  record HttpResponseHeaders(Map<String, List<String>> map) {
    String first(String name) {
      for (var e : map.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
      }
      return null;
    }
  }

  /** A signed-in user: the Cognito sub (= userId), e-mail, name and ID token. */
  record Person(String userId, String email, String name, String token) {}

  record Org(String orgId, Person owner) {}

  final Path root;
  final Path stateDir;
  final LocalStack stack;
  final LocalStack.Info info;
  final String apiUrl;
  private final CognitoIdentityProviderClient cognito;
  private final HttpClient http;

  private BenchStack(Path root, Path stateDir, LocalStack stack) {
    this.root = root;
    this.stateDir = stateDir;
    this.stack = stack;
    this.info = stack.info();
    this.apiUrl = info.apiUrl().replaceAll("/$", "");
    this.cognito = CognitoIdentityProviderClient.builder().endpointOverride(URI.create(info.cognitoEndpoint()))
        .region(Region.of(info.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    // HTTP/1.1 with keep-alive; the JDK client opens a connection per concurrent request.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static BenchStack start(String name) throws Exception {
    Path root = repositoryRoot();
    Path state = root.resolve("bench/target/stack-" + name);
    LocalStack stack = LocalStack.start(LocalStack.Options.forTests(root, state).withoutStreams());
    BenchStack bench = new BenchStack(root, state, stack);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stack-stop"));
    return bench;
  }

  /** Sets the organization's account lanes in-process on the stack's table (the operator command's use case); its status. */
  String setLanes(Org org, int lanes) {
    try (var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().endpointOverride(URI.create(info.dynamodbEndpoint()))
        .region(Region.of(info.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      var db = new com.enterpriseadmin.store.Db(dynamo, info.tableName());
      var store = new com.enterpriseadmin.credit.CreditStore(db, new com.enterpriseadmin.audit.AuditStore(db, new com.enterpriseadmin.http.Json()));
      return new com.enterpriseadmin.credit.Lanes(store, java.time.Clock.systemUTC()).set(org.orgId(), lanes, "bench").toString();
    }
  }

  @Override
  public void close() {
    cognito.close();
    stack.close();
  }

  /** The folder holding template.yaml, from the working directory up. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("template.yaml"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    return dir;
  }

  // ------------------------------------------------------------------------------ moto's access log

  Path motoLog() {
    return stateDir.resolve("logs/moto.log");
  }

  /** DynamoDB requests moto served so far, and how many of them it answered with a 4xx (failed conditions...). */
  record MotoCount(long requests, long refused) {
    MotoCount minus(MotoCount before) {
      return new MotoCount(requests - before.requests, refused - before.refused);
    }
  }

  /**
   * Counts moto's access log: one {@code POST / HTTP/1.1" <status>} line per DynamoDB API call
   * (werkzeug colours the non-2xx ones with ANSI escapes, hence no leading quote in the match).
   * werkzeug writes the line as the response starts: we wait until the count settles.
   */
  MotoCount motoRequests() throws IOException, InterruptedException {
    MotoCount last = null;
    for (int i = 0; i < 50; i++) {
      long n = 0;
      long refused = 0;
      for (String l : Files.readAllLines(motoLog())) {
        if (!l.contains("POST / HTTP/")) continue;
        n++;
        if (l.matches(".*\\s4\\d\\d\\s.*")) refused++;
      }
      MotoCount now = new MotoCount(n, refused);
      if (now.equals(last)) return now;
      last = now;
      Thread.sleep(100);
    }
    return last;
  }

  // ------------------------------------------------------------------------------ users (CreditFixture's flow)

  Person person() {
    String email = "bench-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    String password = "Correct-Horse-42-" + UUID.randomUUID().toString().substring(0, 6);
    String name = "Bench " + email.substring(6, 12);
    cognito.signUp(b -> b.clientId(info.userPoolClientId()).username(email).password(password).userAttributes(
        AttributeType.builder().name("email").value(email).build(),
        AttributeType.builder().name("name").value(name).build()));
    cognito.adminUpdateUserAttributes(b -> b.userPoolId(info.userPoolId()).username(email)
        .userAttributes(AttributeType.builder().name("email").value(email).build(),
            AttributeType.builder().name("email_verified").value("true").build()));
    cognito.adminConfirmSignUp(b -> b.userPoolId(info.userPoolId()).username(email));
    String token = cognito.initiateAuth(b -> b.clientId(info.userPoolClientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
        .authParameters(Map.of("USERNAME", email, "PASSWORD", password))).authenticationResult().idToken();
    JsonNode me = ok(send("GET", "/v1/me", token, null, null), 200);
    return new Person(me.path("userId").asText(), email, name, token);
  }

  Org org() {
    Person owner = person();
    JsonNode org = ok(send("POST", "/v1/organizations", owner.token(), null,
        json(Map.of("name", "Bench " + UUID.randomUUID().toString().substring(0, 8)))), 201);
    return new Org(org.path("orgId").asText(), owner);
  }

  /** Invites a new signed-up user with the given org role and has them accept. */
  Person member(Org org, String role) {
    Person person = person();
    JsonNode invitation = send("POST", "/v1/organizations/" + org.orgId() + "/invitations", org.owner().token(), null,
        json(Map.of("email", person.email(), "role", role))).json();
    String invitationId = invitation.has("invitationId") ? invitation.path("invitationId").asText()
        : invitation.path("invitation").path("invitationId").asText();
    ok(send("POST", "/v1/invitations/" + invitationId + "/accept", person.token(), null, null), 200);
    return person;
  }

  String team(Org org, Map<String, Object> budget) {
    JsonNode team = ok(send("POST", "/v1/organizations/" + org.orgId() + "/teams", org.owner().token(), null,
        json(Map.of("name", "Team " + UUID.randomUUID().toString().substring(0, 8), "budget", budget))), 201);
    return team.path("teamId").asText();
  }

  void addToTeam(Org org, String teamId, Person person) {
    ok(send("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/members", org.owner().token(), null,
        json(Map.of("userId", person.userId(), "role", "MEMBER"))), 201);
  }

  void topUp(Org org, long amount) {
    ok(send("POST", "/v1/organizations/" + org.orgId() + "/credits/top-ups", org.owner().token(), UUID.randomUUID().toString(),
        "{\"amount\":" + amount + ",\"source\":\"CONTRACT\",\"reference\":\"BENCH-1\"}"), 201);
  }

  Response consume(Org org, String teamId, Person who, long amount, String key) {
    return send("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/consumptions", who.token(), key,
        "{\"amount\":" + amount + "}");
  }

  // ------------------------------------------------------------------------------ HTTP

  Response send(String method, String path, String token, String idempotencyKey, String body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(300))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) request.header("Content-Type", "application/json");
      if (token != null) request.header("Authorization", "Bearer " + token);
      if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), new HttpResponseHeaders(new HashMap<>(r.headers().map())), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode ok(Response response, int status) {
    if (response.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + response.status() + ": " + response.body());
    }
    return response.json();
  }
}
