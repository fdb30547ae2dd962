package com.enterpriseadmin.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules the code relies on (docs/architecture.md): features do not form cycles, use cases
 * know nothing of HTTP, and only the store package speaks DynamoDB's write API.
 */
class ArchitectureTest {
    private static final String ROOT = "com.enterpriseadmin";
    private static final String[] FEATURES = {"..audit..", "..credit..", "..invitation..", "..organization..", "..reconciliation..",
            "..signup..", "..team..", "..user.."};

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void featurePackagesFormNoCycle() {
        // The composition root (config.Wiring) knows every feature and handlers' no-arg constructors reach it:
        // that edge is the point of a composition root, not a cycle between features.
        slices().matching(ROOT + ".(*)..")
                .should().beFreeOfCycles()
                .ignoreDependency(alwaysTrue(), resideInAPackage(ROOT + ".config.."))
                .check(CLASSES);
    }

    @Test
    void onlyHandlersAndHttpKnowHttp() {
        noClasses().that().resideInAnyPackage(FEATURES).and().haveSimpleNameNotEndingWith("Handler")
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.ApiRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.ApiResponse")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.ApiHandler")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.Problems")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.PageResponse")
                .because("use cases return domain results; handlers turn them into HTTP")
                .check(CLASSES);
    }

    @Test
    void onlyTheStorePackageBuildsDynamoDbWrites() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".store..")
                .should().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.TransactWriteItem")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.Update")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.Put")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.Delete")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.ConditionCheck")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.PutItemRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.CancellationReason")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException")
                .because("every write goes through store.Tx, which decides refusal, contention and defect in one place")
                .check(CLASSES);
    }

    @Test
    void onlyStoresAndTheCompositionRootHoldTheDynamoDbClient() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".store..", ROOT + ".config..")
                .should().dependOnClassesThat().haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.DynamoDbClient")
                .check(CLASSES);
    }

    @Test
    void handlersAreThinAndNamedSo() {
        noClasses().that().areAssignableTo(com.enterpriseadmin.http.ApiHandler.class).and().doNotHaveSimpleName("ApiHandler")
                .should().haveSimpleNameNotEndingWith("Handler")
                .check(CLASSES);
        noClasses().that(simpleNameEndingWith("Handler")).should().dependOnClassesThat(
                        resideInAPackage(ROOT + ".store..").and(DescribedPredicate.not(simpleName("Page"))))
                .because("handlers decode, call one use case and encode; storage is the use case's business")
                .check(CLASSES);
    }
}
