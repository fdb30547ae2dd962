package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  static Template real() throws Exception {
    return Template.load(Path.of("..", "template.yaml"));
  }

  @Test
  void everyRouteOfTheRealTemplatePointsToAFunctionWithAHandler() throws Exception {
    Template t = real();
    assertFalse(t.routes().isEmpty());
    for (Template.Route r : t.routes()) {
      Template.Function f = t.function(r.functionId());
      assertTrue(f.handlerClass().startsWith("com.enterpriseadmin."), f.handlerClass());
      assertEquals("handleRequest", f.handlerMethod());
      assertTrue(r.path().startsWith("/"), r.path());
      if (r.iam()) {
        assertTrue(r.path().startsWith("/v1/billing/") && !r.authorized(), "only billing routes are IAM-authorized, never with a JWT: " + r.routeKey());
      } else {
        assertTrue(r.authorized(), "the HttpApi has a default JWT authorizer: " + r.routeKey());
      }
    }
    assertTrue(t.routes().stream().anyMatch(r -> r.routeKey().equals("GET /v1/me") && r.functionId().equals("GetMeFunction")));
    assertTrue(t.routes().stream().anyMatch(r -> r.routeKey().equals("POST /v1/billing/organizations/{orgId}/credits") && r.iam()),
        "the billing route is AWS_IAM");
  }

  @Test
  void triggersComeFromTheUserPoolLambdaConfig() throws Exception {
    Template t = real();
    assertEquals("PreSignUpFunction", t.triggers().get("PreSignUp"));
    assertEquals("PostConfirmationFunction", t.triggers().get("PostConfirmation"));
    assertEquals("com.enterpriseadmin.signup.PreSignUpHandler", t.function("PreSignUpFunction").handlerClass());
  }

  @Test
  void queuesAndTheirSqsEventSources() throws Exception {
    Template t = real();
    Template.QueueDef queue = t.queues().get("ReconcileQueue");
    assertEquals(1800, queue.visibilityTimeoutSeconds());
    assertEquals("ReconcileOrganizationDeadLetterQueue", queue.deadLetterQueueId());
    assertEquals(3, queue.maxReceiveCount());
    assertNull(t.queues().get("ReconcileOrganizationDeadLetterQueue").deadLetterQueueId());
    assertEquals(List.of(new Template.QueueEvent("ReconcileOrganizationFunction", "Organizations", "ReconcileQueue", 10, true)), t.queueEvents());
  }

  @Test
  void tableDefinition() throws Exception {
    Template.TableDef table = real().table();
    assertEquals(List.of(new Template.KeyElement("PK", "HASH"), new Template.KeyElement("SK", "RANGE")), table.keySchema());
    assertEquals("S", table.attributeDefinitions().get("GSI1PK"));
    assertEquals("PAY_PER_REQUEST", table.billingMode());
    assertEquals("ttl", table.ttlAttribute());
    Template.Index gsi1 = table.globalSecondaryIndexes().stream().filter(i -> i.name().equals("GSI1")).findFirst().orElseThrow();
    assertEquals("GSI1PK", gsi1.keySchema().get(0).attributeName());
    assertEquals("ALL", gsi1.projectionType());
    assertEquals("NEW_AND_OLD_IMAGES", table.streamViewType());
  }

  private static final String STREAM = """
      Resources:
        Table:
          Type: AWS::DynamoDB::Table
          Properties:
            KeySchema: [{AttributeName: PK, KeyType: HASH}]
            StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
        Dlq:
          Type: AWS::SQS::Queue
        F:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.F::handleRequest
            Events:
              Changes:
                Type: DynamoDB
                Properties:
                  Stream: !GetAtt Table.StreamArn
                  StartingPosition: TRIM_HORIZON
                  BatchSize: 7
                  MaximumBatchingWindowInSeconds: 1
                  BisectBatchOnFunctionError: true
                  MaximumRetryAttempts: 2
                  FunctionResponseTypes: [ReportBatchItemFailures]
                  DestinationConfig:
                    OnFailure:
                      Destination: !GetAtt Dlq.Arn
        G:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.G::handleRequest
            Events:
              Defaults:
                Type: DynamoDB
                Properties:
                  Stream: !GetAtt Table.StreamArn
                  StartingPosition: LATEST
      """;

  @Test
  void dynamoDbStreamEventSourcesWithLambdasDefaults() {
    Template t = Template.parse(new StringReader(STREAM));
    assertEquals(List.of(
        new Template.StreamEvent("F", "Changes", "TRIM_HORIZON", 7, 1, true, true, 2, "Dlq"),
        new Template.StreamEvent("G", "Defaults", "LATEST", 100, 0, false, false, -1, null)), t.streamEvents());
    assertThrows(IllegalArgumentException.class, () -> Template.parse(new StringReader(STREAM.replace("Table.StreamArn", "Table.Arn"))),
        "the stream must be the table's StreamArn");
    assertThrows(IllegalArgumentException.class, () -> Template.parse(new StringReader(
        STREAM.replace("StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}", "BillingMode: PAY_PER_REQUEST"))), "no stream on the table");
    assertThrows(IllegalArgumentException.class, () -> Template.parse(new StringReader(STREAM.replace("!GetAtt Dlq.Arn", "!GetAtt Nope.Arn"))),
        "the on-failure destination must be a queue of the template");
  }

  @Test
  void userPoolAndClientSettings() throws Exception {
    Template t = real();
    assertEquals(List.of("email"), t.userPool().usernameAttributes());
    assertEquals(List.of("email"), t.userPool().autoVerifiedAttributes());
    assertNotNull(t.userPool().passwordPolicy());
    // The deployed client: SRP and refresh only, the password never leaves the browser.
    assertEquals(List.of("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"), t.client().explicitAuthFlows());
    // The local one adds USER_PASSWORD_AUTH (cognito-local implements no SRP).
    assertTrue(LocalStack.localAuthFlows(t.client().explicitAuthFlows()).stream()
        .anyMatch(f -> f.toString().equals("ALLOW_USER_PASSWORD_AUTH")));
    assertEquals("enterprise-admin-dev", t.resolve(t.userPool().poolName(), Map.of(), Map.of(), "us-east-1"));
  }

  @Test
  void environmentResolvesRefsToLocalResourcesAndParameterDefaults() throws Exception {
    Map<String, String> env = real().resolvedEnvironment(Map.of("Table", "local-table", "UserPool", "local_pool",
        "ReconcileQueue", "http://127.0.0.1:1/123456789012/q"), Map.of(), "us-east-1");
    assertEquals("local-table", env.get("TABLE_NAME"));
    assertEquals("", env.get("ALLOWED_EMAIL_DOMAINS"));
    assertEquals("http://127.0.0.1:1/123456789012/q", env.get("RECONCILE_QUEUE_URL"), "!Ref of a queue is its URL");
    Map<String, String> overridden = real().resolvedEnvironment(Map.of("Table", "t", "UserPool", "p", "ReconcileQueue", "q"),
        Map.of("AllowedEmailDomains", "example.com"), "us-east-1");
    assertEquals("example.com", overridden.get("ALLOWED_EMAIL_DOMAINS"));
  }

  private static final String TWO_FUNCTIONS = """
      Globals:
        Function:
          Environment:
            Variables:
              SHARED: one
      Resources:
        A:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.A::handleRequest
            Environment:
              Variables:
                ONLY_A: !Sub "${AWS::Region}-a"
            Events:
              Get:
                Type: HttpApi
                Properties: {Path: "/a/{id}", Method: get, Auth: {Authorizer: NONE}}
              Nightly:
                Type: Schedule
                Properties: {Schedule: "cron(0 3 * * ? *)"}
        B:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.B::handleRequest
            Environment:
              Variables:
                ONLY_A: other
        T:
          Type: AWS::DynamoDB::Table
          Properties:
            KeySchema: [{AttributeName: PK, KeyType: HASH}]
            AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      """;

  @Test
  void variablesThatDifferBetweenFunctionsSharingTheLocalJvmFailFast() {
    Template t = Template.parse(new StringReader(TWO_FUNCTIONS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resolvedEnvironment(Map.of(), Map.of(), "eu-west-1"));
    assertTrue(e.getMessage().contains("ONLY_A"), e.getMessage());
  }

  @Test
  void aFunctionVariableConflictingWithGlobalsFailsFast() {
    String yaml = TWO_FUNCTIONS.replace("ONLY_A: other", "SHARED: two");
    assertThrows(IllegalArgumentException.class, () -> Template.parse(new StringReader(yaml)));
  }

  @Test
  void parsesEventsAuthAndSchedules() {
    Template t = Template.parse(new StringReader(TWO_FUNCTIONS));
    Template.Route route = t.routes().get(0);
    assertEquals("GET /a/{id}", route.routeKey());
    assertFalse(route.authorized());
    assertEquals(List.of(new Template.Schedule("A", "Nightly", "cron(0 3 * * ? *)", true)), t.schedules());
    assertEquals("eu-west-1-a", t.resolve(t.function("A").environment().get("ONLY_A"), Map.of(), Map.of(), "eu-west-1"));
  }
}
