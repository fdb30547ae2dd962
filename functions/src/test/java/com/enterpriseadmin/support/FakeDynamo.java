package com.enterpriseadmin.support;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Keys;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * A server-free stand-in for the DynamoDB client in unit tests: items by key for GetItem, PutItem
 * stored unconditionally, transactions RECORDED (not evaluated) so that tests can assert their
 * shape, empty queries. Conditions are the ITs' business, against the emulator.
 */
public final class FakeDynamo {
    public final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    public final List<TransactWriteItemsRequest> transactions = new ArrayList<>();
    public final Db db;

    public FakeDynamo() {
        DynamoDbClient client = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getItem" -> {
                        GetItemRequest r = (GetItemRequest) args[0];
                        Map<String, AttributeValue> item = items.get(key(r.key()));
                        yield item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
                    }
                    case "putItem" -> {
                        PutItemRequest r = (PutItemRequest) args[0];
                        items.put(key(r.item()), r.item());
                        yield PutItemResponse.builder().build();
                    }
                    case "transactWriteItems" -> {
                        transactions.add((TransactWriteItemsRequest) args[0]);
                        yield TransactWriteItemsResponse.builder().build();
                    }
                    case "query" -> QueryResponse.builder().items(List.of()).build();
                    case "batchGetItem" -> BatchGetItemResponse.builder().responses(Map.of()).build();
                    case "serviceName" -> "dynamodb";
                    case "close" -> null;
                    case "toString" -> "FakeDynamo";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        this.db = new Db(client, "table");
    }

    public void put(Map<String, AttributeValue> item) {
        items.put(key(item), item);
    }

    private static String key(Map<String, AttributeValue> item) {
        return item.get(Keys.PK).s() + "|" + item.get(Keys.SK).s();
    }
}
