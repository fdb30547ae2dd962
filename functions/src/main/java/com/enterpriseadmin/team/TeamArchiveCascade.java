package com.enterpriseadmin.team;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Extension point for what else must happen, in the SAME transaction, when a team is archived:
 * releasing the team's open credit holds (the credits feature). The archive transaction already
 * holds an Update of the team item (status, version) and the audit Put, so the returned actions must
 * not touch the team item itself (DynamoDB refuses two actions on one item in a transaction) and must
 * be conditional writes; if a release needs to adjust the team's {@code held}/{@code remaining}
 * counters, that must be folded into the archive update instead (ask the teams feature).
 * Keep the count under 90 (the transaction limit is 100 actions).
 */
public interface TeamArchiveCascade {

    List<TransactWriteItem> onArchived(Team team);

    TeamArchiveCascade NONE = team -> List.of();
}
