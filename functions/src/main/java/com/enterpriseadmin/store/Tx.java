package com.enterpriseadmin.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One {@code TransactWriteItems}, the only way any store writes more than one item at once. Actions are
 * added through typed builders ({@link #update}, {@link #put}, {@link #delete}, {@link #check}) that
 * return an {@link Action} handle; {@link #commit()} returns a {@link Result} that is asked about those
 * handles: did this action's condition fail, and what did the item hold then ({@code ALL_OLD} is asked
 * for on every conditional action). Whether a cancellation is a refusal (a condition failed), contention
 * (conflicting transactions or throttling: try again) or a defect (anything else: thrown) is decided here
 * and nowhere else. {@link Db#write()} gives the same builders for one conditional write of one item,
 * sent as a plain PutItem / UpdateItem / DeleteItem.
 *
 * <p>Expressions name attributes through {@code #placeholders} and values through {@code :placeholders};
 * a builder may be given more names and values than its expressions use (stores share maps of them):
 * only those the expressions mention are sent, and a placeholder used but never given fails at once.
 */
public final class Tx {
    /** DynamoDB's limit of actions in one transaction. */
    public static final int MAX_ACTIONS = 100;

    private static final Pattern NAME = Pattern.compile("#[A-Za-z0-9_]+");
    private static final Pattern VALUE = Pattern.compile(":[A-Za-z0-9_]+");
    private static final Set<String> CONTENTION = Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    private final Db db;
    private final boolean single;
    private final List<TransactWriteItem> items = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();

    Tx(Db db, boolean single) {
        this.db = db;
        this.single = single;
    }

    /** A handle on one action of this transaction, to ask the {@link Result} about it. */
    public record Action(int index, String label) {}

    public Write update(Key key) {
        return new Write(Kind.UPDATE, key, null);
    }

    /** A put of a whole item; unconditional unless a condition is added ({@link Write#ifAbsent()}). */
    public Write put(Map<String, AttributeValue> item) {
        return new Write(Kind.PUT, null, item);
    }

    public Write delete(Key key) {
        return new Write(Kind.DELETE, key, null);
    }

    /** A condition on an item this transaction does not write. */
    public Write check(Key key) {
        return new Write(Kind.CHECK, key, null);
    }

    /** How many actions were added so far. */
    public int size() {
        return items.size();
    }

    /** The SDK actions, in order (for tests and for the error message of a defect). */
    public List<TransactWriteItem> actions() {
        return List.copyOf(items);
    }

    /**
     * Runs the transaction once. A cancellation whose reasons are all refused conditions or contention
     * comes back as a {@link Result}; any other reason (a validation error, an item too large, ...) is a
     * defect and throws.
     */
    public Result commit() {
        if (items.isEmpty()) {
            throw new IllegalStateException("empty transaction");
        }
        if (items.size() > MAX_ACTIONS) {
            throw new IllegalStateException("transaction of " + items.size() + " actions: DynamoDB takes at most " + MAX_ACTIONS);
        }
        if (single) {
            return commitSingle();
        }
        try {
            db.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
            return new Result(List.of(), List.of(), labels);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            List<String> codes = reasons.stream().map(r -> r.code() == null ? "None" : r.code()).toList();
            if (codes.isEmpty() || codes.stream().anyMatch(c -> !"None".equals(c) && !"ConditionalCheckFailed".equals(c) && !CONTENTION.contains(c))) {
                throw new IllegalStateException("transaction " + labels + " cancelled for a reason no caller can act on: " + codes);
            }
            List<Map<String, AttributeValue>> old = reasons.stream().map(r -> r.hasItem() ? r.item() : Map.<String, AttributeValue>of()).toList();
            return new Result(codes, old, labels);
        }
    }

    /** One write as a PutItem / UpdateItem / DeleteItem request: the same conditions, half the cost of a transaction. */
    private Result commitSingle() {
        if (items.size() != 1) {
            throw new IllegalStateException("a single write holds exactly one action, not " + items.size());
        }
        TransactWriteItem a = items.get(0);
        try {
            if (a.update() != null) {
                Update u = a.update();
                db.client().updateItem(UpdateItemRequest.builder().tableName(u.tableName()).key(u.key()).updateExpression(u.updateExpression())
                        .conditionExpression(u.conditionExpression()).expressionAttributeNames(orNull(u.expressionAttributeNames()))
                        .expressionAttributeValues(orNull(u.expressionAttributeValues()))
                        .returnValuesOnConditionCheckFailure(u.returnValuesOnConditionCheckFailureAsString()).build());
            } else if (a.put() != null) {
                Put p = a.put();
                db.client().putItem(PutItemRequest.builder().tableName(p.tableName()).item(p.item())
                        .conditionExpression(p.conditionExpression()).expressionAttributeNames(orNull(p.expressionAttributeNames()))
                        .expressionAttributeValues(orNull(p.expressionAttributeValues()))
                        .returnValuesOnConditionCheckFailure(p.returnValuesOnConditionCheckFailureAsString()).build());
            } else if (a.delete() != null) {
                Delete d = a.delete();
                db.client().deleteItem(DeleteItemRequest.builder().tableName(d.tableName()).key(d.key())
                        .conditionExpression(d.conditionExpression()).expressionAttributeNames(orNull(d.expressionAttributeNames()))
                        .expressionAttributeValues(orNull(d.expressionAttributeValues()))
                        .returnValuesOnConditionCheckFailure(d.returnValuesOnConditionCheckFailureAsString()).build());
            } else {
                throw new IllegalStateException("a condition check alone writes nothing: use a transaction or a read");
            }
            return new Result(List.of(), List.of(), labels);
        } catch (ConditionalCheckFailedException e) {
            return new Result(List.of("ConditionalCheckFailed"), List.of(e.hasItem() ? e.item() : Map.of()), labels);
        }
    }

    /** An SDK map field as a builder takes it again: null when it was never set. */
    private static <K, V> Map<K, V> orNull(Map<K, V> m) {
        return m instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap || m.isEmpty() ? null : m;
    }

    /**
     * The outcome of a commit: committed, refused (one or more conditions failed: ask {@link #failed}),
     * or contended (only conflicts with other transactions or throttling: the same attempt may succeed).
     */
    public static final class Result {
        private final List<String> codes;
        private final List<Map<String, AttributeValue>> oldItems;
        private final List<String> labels;

        Result(List<String> codes, List<Map<String, AttributeValue>> oldItems, List<String> labels) {
            this.codes = codes;
            this.oldItems = oldItems;
            this.labels = List.copyOf(labels);
        }

        public boolean committed() {
            return codes.isEmpty();
        }

        /** True when this action's condition refused the transaction. */
        public boolean failed(Action action) {
            return action.index() < codes.size() && "ConditionalCheckFailed".equals(codes.get(action.index()));
        }

        /** True when some condition refused the transaction. */
        public boolean refused() {
            return codes.contains("ConditionalCheckFailed");
        }

        /** Cancelled only by concurrent transactions or throttling: trying again may succeed. */
        public boolean contended() {
            return !codes.isEmpty() && !refused();
        }

        /** The item as it was when this action's condition failed (empty if it did not fail or did not exist). */
        public Optional<Map<String, AttributeValue>> oldItem(Action action) {
            if (!failed(action)) {
                return Optional.empty();
            }
            Map<String, AttributeValue> item = oldItems.get(action.index());
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
        }

        /**
         * For optimistic writes: true when committed, false when the write lost a race (one of {@code races}
         * refused, or only contention cancelled it: read again and retry); any other refusal throws.
         */
        public boolean committedUnlessRaced(Action... races) {
            if (committed()) {
                return true;
            }
            if (contended() || java.util.Arrays.stream(races).anyMatch(this::failed)) {
                return false;
            }
            throw unexpected();
        }

        /** For a refusal no rule explains: the codes with the actions' labels. */
        public IllegalStateException unexpected() {
            List<String> described = new ArrayList<>();
            for (int i = 0; i < codes.size(); i++) {
                described.add((i < labels.size() ? labels.get(i) : "#" + i) + "=" + codes.get(i));
            }
            return new IllegalStateException("transaction cancelled without a rule to explain it: " + described);
        }

        public List<String> codes() {
            return codes;
        }
    }

    private enum Kind { UPDATE, PUT, DELETE, CHECK }

    /** One action being described; {@link #add()} puts it into the transaction. */
    public final class Write {
        private final Kind kind;
        private final Key key;
        private final Map<String, AttributeValue> item;
        private final List<String> sets = new ArrayList<>();
        private final List<String> removes = new ArrayList<>();
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, AttributeValue> values = new LinkedHashMap<>();
        private String label;

        private Write(Kind kind, Key key, Map<String, AttributeValue> item) {
            this.kind = kind;
            this.key = key;
            this.item = item;
            this.label = kind.name().toLowerCase() + " " + (key != null ? key : Item.str(item, Keys.PK) + "|" + Item.str(item, Keys.SK));
        }

        /** One {@code SET} clause, e.g. {@code "#n = #n + :one"}; clauses are joined with commas. */
        public Write set(String clause) {
            requireUpdate();
            sets.add(clause);
            return this;
        }

        /** One attribute path to {@code REMOVE}. */
        public Write remove(String path) {
            requireUpdate();
            removes.add(path);
            return this;
        }

        /** A condition; several are joined with {@code AND}. */
        public Write when(String condition) {
            conditions.add(conditions.isEmpty() ? condition : "(" + condition + ")");
            return this;
        }

        /** The item must not exist yet (create-if-absent). */
        public Write ifAbsent() {
            return when("attribute_not_exists(PK)");
        }

        /** The item must exist. */
        public Write ifExists() {
            return when("attribute_exists(PK)");
        }

        public Write name(String placeholder, String attribute) {
            names.put(placeholder, attribute);
            return this;
        }

        public Write names(Map<String, String> more) {
            names.putAll(more);
            return this;
        }

        public Write value(String placeholder, String s) {
            values.put(placeholder, AttributeValue.fromS(s));
            return this;
        }

        public Write value(String placeholder, long n) {
            values.put(placeholder, AttributeValue.fromN(Long.toString(n)));
            return this;
        }

        public Write value(String placeholder, AttributeValue v) {
            values.put(placeholder, v);
            return this;
        }

        public Write values(Map<String, AttributeValue> more) {
            values.putAll(more);
            return this;
        }

        /** A name for this action in error messages (default: kind and key). */
        public Write label(String what) {
            this.label = what;
            return this;
        }

        /** Adds the action to the transaction. */
        public Action add() {
            String update = updateExpression();
            String condition = conditions.isEmpty() ? null : String.join(" AND ", conditions);
            String text = (update == null ? "" : update) + " " + (condition == null ? "" : condition);
            Map<String, String> usedNames = used(NAME, text, names);
            Map<String, AttributeValue> usedValues = used(VALUE, text, values);
            // The SDK builders take null for "absent": one chain per kind, no branches.
            Map<String, String> n = usedNames.isEmpty() ? null : usedNames;
            Map<String, AttributeValue> v = usedValues.isEmpty() ? null : usedValues;
            ReturnValuesOnConditionCheckFailure old = condition == null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD;
            TransactWriteItem action = switch (kind) {
                case UPDATE -> TransactWriteItem.builder().update(Update.builder().tableName(db.table()).key(key.toMap())
                        .updateExpression(requireClause(update)).conditionExpression(condition).expressionAttributeNames(n)
                        .expressionAttributeValues(v).returnValuesOnConditionCheckFailure(old).build()).build();
                case PUT -> TransactWriteItem.builder().put(Put.builder().tableName(db.table()).item(item)
                        .conditionExpression(condition).expressionAttributeNames(n)
                        .expressionAttributeValues(v).returnValuesOnConditionCheckFailure(old).build()).build();
                case DELETE -> TransactWriteItem.builder().delete(Delete.builder().tableName(db.table()).key(key.toMap())
                        .conditionExpression(condition).expressionAttributeNames(n)
                        .expressionAttributeValues(v).returnValuesOnConditionCheckFailure(old).build()).build();
                case CHECK -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(db.table()).key(key.toMap())
                        .conditionExpression(requireCondition(condition)).expressionAttributeNames(n)
                        .expressionAttributeValues(v).returnValuesOnConditionCheckFailure(old).build()).build();
            };
            items.add(action);
            labels.add(label);
            return new Action(items.size() - 1, label);
        }

        private String updateExpression() {
            if (kind != Kind.UPDATE) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            if (!sets.isEmpty()) {
                parts.add("SET " + String.join(", ", sets));
            }
            if (!removes.isEmpty()) {
                parts.add("REMOVE " + String.join(", ", removes));
            }
            return parts.isEmpty() ? null : String.join(" ", parts);
        }

        private String requireClause(String update) {
            if (update == null) {
                throw new IllegalStateException(label + ": an update needs a SET or REMOVE clause");
            }
            return update;
        }

        private String requireCondition(String condition) {
            if (condition == null) {
                throw new IllegalStateException(label + ": a condition check needs a condition");
            }
            return condition;
        }

        private void requireUpdate() {
            if (kind != Kind.UPDATE) {
                throw new IllegalStateException("SET/REMOVE belong to an update, not a " + kind.name().toLowerCase());
            }
        }

        private <V> Map<String, V> used(Pattern placeholder, String text, Map<String, V> given) {
            Map<String, V> out = new LinkedHashMap<>();
            Matcher m = placeholder.matcher(text);
            while (m.find()) {
                String p = m.group();
                V v = given.get(p);
                if (v == null) {
                    throw new IllegalStateException(label + ": placeholder " + p + " is used but not given");
                }
                out.put(p, v);
            }
            return out;
        }
    }
}
