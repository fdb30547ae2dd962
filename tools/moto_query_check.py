"""Checks tools/moto_server.py's partition_direct_query against moto's own Query: the same random table
(3,000 items over 20 partitions, 60 % of them in a GSI), 60 Queries (table and GSI, with and without a
sort-key condition, both directions, small pages followed to the end), every page compared: items, Count,
ScannedCount, LastEvaluatedKey. Prints `equal True` and both times; exits 1 if anything differs.

Usage: .venv/emulators/bin/python tools/moto_query_check.py
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
import moto_server  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402

MOTO_QUERY = Table.query


def run(patched):
    Table.query = MOTO_QUERY
    if patched:
        moto_server.partition_direct_query()
    random.seed(7)
    with mock_aws():
        c = boto3.client("dynamodb", region_name="us-east-1")
        c.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "GSI1PK", "GSI1SK")],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "GSI1", "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"},
                                                                        {"AttributeName": "GSI1SK", "KeyType": "RANGE"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        for i in range(3000):
            item = {"PK": {"S": "P%d" % random.randrange(20)}, "SK": {"S": "%05d" % random.randrange(100000)}, "n": {"N": str(i)}}
            if random.random() < 0.6:
                item["GSI1PK"] = {"S": "G%d" % random.randrange(5)}
                item["GSI1SK"] = {"S": "%03d" % random.randrange(50)}
            c.put_item(TableName="t", Item=item)
        out = []
        t0 = time.time()
        for q in range(60):
            kw = {"TableName": "t"}
            if q % 2:
                kw.update(IndexName="GSI1", KeyConditionExpression="GSI1PK = :h AND GSI1SK > :r",
                          ExpressionAttributeValues={":h": {"S": "G%d" % (q % 5)}, ":r": {"S": "%03d" % (q % 40)}})
            elif q % 4:
                kw.update(KeyConditionExpression="PK = :h AND SK BETWEEN :a AND :b",
                          ExpressionAttributeValues={":h": {"S": "P%d" % (q % 21)}, ":a": {"S": "01000"}, ":b": {"S": "60000"}})
            else:
                kw.update(KeyConditionExpression="PK = :h", ExpressionAttributeValues={":h": {"S": "P%d" % (q % 21)}})
            kw["ScanIndexForward"] = bool(q % 3)
            kw["Limit"] = 7 + q
            pages = []
            while True:
                r = c.query(**kw)
                pages.append((r["Items"], r["Count"], r["ScannedCount"], r.get("LastEvaluatedKey")))
                if "LastEvaluatedKey" not in r:
                    break
                kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]
            out.append(pages)
        return out, time.time() - t0


if __name__ == "__main__":
    moto_pages, moto_s = run(False)
    ours, ours_s = run(True)
    print("equal", moto_pages == ours, "moto %.1f s, partition_direct_query %.1f s," % (moto_s, ours_s),
          sum(len(p) for p in moto_pages), "pages")
    sys.exit(0 if moto_pages == ours else 1)
