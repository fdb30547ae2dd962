package com.enterpriseadmin.asset;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Cursors;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The asset items and the organization's storage counter (docs/assets.md, "Items" and "Transactions"). The
 * counter is reserved like a credit hold: {@code allocatedBytes = usedBytes + reservedBytes} is the one
 * attribute the quota condition reads (a condition cannot add), kept by every transaction that moves bytes.
 */
public final class AssetStore {
    private final Db db;
    private final AuditStore audit;

    public AssetStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    public enum Outcome { DONE, QUOTA_EXCEEDED, LOST_RACE, RETRY }

    /** What the organization stores: bytes of READY assets and bytes reserved by uploads under way. */
    public record Storage(long usedBytes, long reservedBytes) {
        public long allocatedBytes() { return usedBytes + reservedBytes; }
    }

    /** One read of the asset list: items in key order and the cursor after the last one read (absent: the end). */
    public record Slice(List<Asset> assets, Optional<String> nextCursor) {}

    // ---------------------------------------------------------------- writes

    /** The upload starts: the asset (UPLOADING) and the reservation of its declared size, if the quota has room. */
    public Outcome create(Asset asset, long quotaBytes, AuditEntry entry) {
        Tx tx = db.tx();
        tx.put(toItem(asset)).ifAbsent().label("asset").add();
        Tx.Action reserve = tx.update(Keys.storage(asset.orgId()))
                .set("reservedBytes = if_not_exists(reservedBytes, :zero) + :n")
                .set("allocatedBytes = if_not_exists(allocatedBytes, :zero) + :n")
                .set("usedBytes = if_not_exists(usedBytes, :zero)")
                .when("attribute_not_exists(allocatedBytes) OR allocatedBytes <= :max")
                .value(":zero", 0).value(":n", asset.declaredSize()).value(":max", quotaBytes - asset.declaredSize())
                .label("storage reservation").add();
        audit.record(tx, entry);
        Tx.Result result = tx.commit();
        if (result.committed()) return Outcome.DONE;
        if (result.failed(reserve)) return Outcome.QUOTA_EXCEEDED;
        if (result.contended()) return Outcome.RETRY;
        throw result.unexpected();
    }

    /**
     * The upload ends (READY with the stored size, or REJECTED / ABANDONED with nothing stored): the asset leaves
     * UPLOADING and the reservation is settled, exactly once — a second completer finds the status moved
     * ({@link Outcome#LOST_RACE}).
     */
    public Outcome settle(Asset asset, Asset.Status to, long storedSize, Optional<String> rejection, Instant now, AuditEntry entry) {
        long used = to == Asset.Status.READY ? storedSize : 0;
        Tx tx = db.tx();
        Tx.Write w = tx.update(Keys.asset(asset.orgId(), asset.assetId()))
                .set("#status = :to").set("#size = :size").set("updatedAt = :now").set("version = version + :one")
                .remove(Keys.GSI1PK).remove(Keys.GSI1SK)
                .when("#status = :uploading")
                .name("#status", "status").name("#size", "size")
                .value(":to", to.name()).value(":size", used).value(":now", Ids.at(now)).value(":one", 1)
                .value(":uploading", Asset.Status.UPLOADING.name());
        rejection.ifPresent(r -> w.set("rejection = :why").value(":why", r));
        Tx.Action status = w.label("asset settles").add();
        tx.update(Keys.storage(asset.orgId()))
                .set("reservedBytes = reservedBytes - :declared").set("usedBytes = usedBytes + :used")
                .set("allocatedBytes = allocatedBytes + :delta")
                .ifExists()
                .value(":declared", asset.declaredSize()).value(":used", used).value(":delta", used - asset.declaredSize())
                .label("storage settles").add();
        audit.record(tx, entry);
        Tx.Result result = tx.commit();
        if (result.committed()) return Outcome.DONE;
        if (result.failed(status)) return Outcome.LOST_RACE;
        if (result.contended()) return Outcome.RETRY;
        throw result.unexpected();
    }

    /** Hides a READY asset (its bytes leave the quota) if it is still at the version read. */
    public Outcome delete(Asset asset, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action status = tx.update(Keys.asset(asset.orgId(), asset.assetId()))
                .set("#status = :deleted").set("deletedAt = :now").set("updatedAt = :now").set("version = version + :one")
                .when("#status = :ready AND version = :v")
                .name("#status", "status")
                .value(":deleted", Asset.Status.DELETED.name()).value(":ready", Asset.Status.READY.name()).value(":now", Ids.at(now))
                .value(":one", 1).value(":v", asset.version()).label("asset deleted").add();
        bytes(tx, asset.orgId(), -asset.size(), Optional.empty());
        audit.record(tx, entry);
        return outcome(tx.commit(), status, null);
    }

    /** Shows a DELETED asset again; its bytes come back into the quota if it has room. */
    public Outcome restore(Asset asset, long quotaBytes, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action status = tx.update(Keys.asset(asset.orgId(), asset.assetId()))
                .set("#status = :ready").set("updatedAt = :now").set("version = version + :one").remove("deletedAt")
                .when("#status = :deleted AND version = :v")
                .name("#status", "status")
                .value(":deleted", Asset.Status.DELETED.name()).value(":ready", Asset.Status.READY.name()).value(":now", Ids.at(now))
                .value(":one", 1).value(":v", asset.version()).label("asset restored").add();
        Tx.Action room = bytes(tx, asset.orgId(), asset.size(), Optional.of(quotaBytes - asset.size()));
        audit.record(tx, entry);
        return outcome(tx.commit(), status, room);
    }

    /** Renames and/or re-shares an asset at the version read. */
    public Outcome update(Asset asset, String name, Asset.Visibility visibility, List<String> teamIds, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action status = tx.update(Keys.asset(asset.orgId(), asset.assetId()))
                .set("#name = :name").set("nameKey = :key").set("visibility = :vis").set("teamIds = :teams")
                .set("updatedAt = :now").set("version = version + :one")
                .when("version = :v")
                .name("#name", "name")
                .value(":name", name).value(":key", nameKey(name)).value(":vis", visibility.name())
                .value(":teams", AttributeValue.fromL(teamIds.stream().map(AttributeValue::fromS).toList()))
                .value(":now", Ids.at(now)).value(":one", 1).value(":v", asset.version()).label("asset updated").add();
        audit.record(tx, entry);
        return outcome(tx.commit(), status, null);
    }

    private Tx.Action bytes(Tx tx, String orgId, long delta, Optional<Long> max) {
        Tx.Write w = tx.update(Keys.storage(orgId))
                .set("usedBytes = usedBytes + :delta").set("allocatedBytes = allocatedBytes + :delta")
                .ifExists().value(":delta", delta);
        max.ifPresent(m -> w.when("allocatedBytes <= :max").value(":max", m));
        return w.label("storage bytes").add();
    }

    private static Outcome outcome(Tx.Result result, Tx.Action status, Tx.Action room) {
        if (result.committed()) return Outcome.DONE;
        if (result.failed(status)) return Outcome.LOST_RACE;
        if (room != null && result.failed(room)) return Outcome.QUOTA_EXCEEDED;
        if (result.contended()) return Outcome.RETRY;
        throw result.unexpected();
    }

    // ---------------------------------------------------------------- reads

    public Optional<Asset> asset(String orgId, String assetId) {
        return db.get(Keys.asset(orgId, assetId)).map(AssetStore::fromItem);
    }

    public Storage storage(String orgId) {
        return db.get(Keys.storage(orgId))
                .map(i -> new Storage(Item.num(i, "usedBytes"), Item.num(i, "reservedBytes")))
                .orElse(new Storage(0, 0));
    }

    /** The organization's assets in key order from a cursor (consistent), at most {@code limit} items read. */
    public Slice slice(String orgId, Optional<String> cursor, int limit) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(db.table())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.ASSET_PREFIX)))
                .consistentRead(true);
        Page<Map<String, AttributeValue>> page = Lists.query(db, q, Lists.Scope.table(Keys.org(orgId)), cursor, limit, true);
        return new Slice(page.items().stream().map(AssetStore::fromItem).toList(), page.nextCursor());
    }

    /** The cursor after an asset of the list. */
    public static String cursorAfter(Asset asset) {
        return Cursors.encode(Keys.asset(asset.orgId(), asset.assetId()).toMap());
    }

    /** Uploads under way that started before {@code cutoff}, every organization's (GSI1 {@code ASSET_UPLOADS}). */
    public List<Key> uploadsStartedBefore(Instant cutoff) {
        QueryRequest.Builder q = QueryRequest.builder().indexName(Keys.GSI1)
                .keyConditionExpression("GSI1PK = :pk AND GSI1SK < :cutoff")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.ASSET_UPLOADS_INDEX), ":cutoff", AttributeValue.fromS(Ids.at(cutoff))));
        return db.queryAll(q).map(i -> new Key(Item.str(i, Keys.PK), Item.str(i, Keys.SK))).toList();
    }

    /** The status of each of these teams of the organization that exists ({@code ACTIVE} / {@code ARCHIVED}). */
    public Map<String, String> teamStatuses(String orgId, List<String> teamIds) {
        Map<Key, Map<String, AttributeValue>> found = db.batchGet(teamIds.stream().map(t -> Keys.team(orgId, t)).toList(), true);
        Map<String, String> out = new HashMap<>();
        found.values().forEach(i -> out.put(Item.str(i, "teamId"), Item.str(i, "status")));
        return out;
    }

    // ---------------------------------------------------------------- mapping

    static String nameKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    static Map<String, AttributeValue> toItem(Asset a) {
        Item item = Item.of(Keys.asset(a.orgId(), a.assetId()), "ASSET")
                .s("assetId", a.assetId()).s("orgId", a.orgId()).s("name", a.name()).s("nameKey", nameKey(a.name()))
                .s("contentType", a.contentType()).n("declaredSize", a.declaredSize()).n("size", a.size())
                .s("status", a.status().name()).s("visibility", a.visibility().name()).strings("teamIds", a.teamIds())
                .s("objectKey", a.objectKey()).s("createdBy", a.createdBy())
                .s("createdAt", Ids.at(a.createdAt())).s("updatedAt", Ids.at(a.updatedAt())).n("version", a.version());
        if (a.status() == Asset.Status.UPLOADING) {
            item.s(Keys.GSI1PK, Keys.ASSET_UPLOADS_INDEX).s(Keys.GSI1SK, Ids.at(a.createdAt()) + "#" + a.orgId() + "#" + a.assetId());
        }
        return item.build();
    }

    static Asset fromItem(Map<String, AttributeValue> i) {
        return new Asset(Item.str(i, "assetId"), Item.str(i, "orgId"), Item.str(i, "name"), Item.str(i, "contentType"),
                Item.num(i, "declaredSize"), Item.num(i, "size"), Asset.Status.valueOf(Item.str(i, "status")),
                Asset.Visibility.valueOf(Item.str(i, "visibility")), Item.strings(i, "teamIds"), Item.str(i, "objectKey"),
                Item.str(i, "createdBy"), Item.time(i, "createdAt"), Item.time(i, "updatedAt"),
                Item.optStr(i, "deletedAt").map(Instant::parse), Item.optStr(i, "rejection"), Item.num(i, "version"));
    }
}
