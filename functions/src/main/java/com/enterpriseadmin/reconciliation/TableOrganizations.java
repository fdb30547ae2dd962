package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Every organization id, from a paginated scan for organization items (the job runs hourly, off the hot path). */
public final class TableOrganizations implements Reconciliation.Organizations {
    private final Db db;
    private final String orgType;

    public TableOrganizations(Db db, String orgType) {
        this.db = db;
        this.orgType = orgType;
    }

    @Override
    public List<String> allOrgIds() {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(db.table())
                    .filterExpression("#type = :type")
                    .projectionExpression("#pk")
                    .expressionAttributeNames(Map.of("#type", Keys.TYPE, "#pk", Keys.PK))
                    .expressionAttributeValues(Map.of(":type", AttributeValue.fromS(orgType)));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse response = db.client().scan(scan.build());
            for (Map<String, AttributeValue> item : response.items()) {
                ids.add(Item.str(item, Keys.PK).substring("ORG#".length()));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }
}
