#!/usr/bin/env bash
# Deploys the web console to a stack made by `sam deploy`: builds web/dist, writes config.json from
# the stack's outputs (region, user pool, client, sign-in by SRP; the API is the console's own origin under /v1),
# uploads everything to the console bucket (hashed assets cached for a year, index.html and
# config.json never), removes files of older builds, and invalidates CloudFront.
#   scripts/deploy-console.sh <stack-name> [region]
# Needs AWS credentials for the stack's account; uses boto3 from the SAM virtual environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK="${1:?usage: scripts/deploy-console.sh <stack-name> [region]}"
REGION="${2:-${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}}"
bash "$ROOT/scripts/bootstrap.sh"
bash "$ROOT/scripts/console.sh" build
"$ROOT/.venv/sam/bin/python" - "$STACK" "$REGION" "$ROOT/web/dist" <<'PY'
import json, mimetypes, pathlib, sys, time
import boto3

stack, region, dist = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
cfn = boto3.client("cloudformation", region_name=region)
outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])}
for key in ("ConsoleBucketName", "ConsoleDistributionId", "ConsoleUrl", "UserPoolId", "UserPoolClientId"):
    if key not in outputs:
        sys.exit(f"stack {stack} has no output {key}: deploy template.yaml first (sam deploy)")
# The deployed app client allows only SRP (and refresh): the console signs in with USER_SRP_AUTH.
config = {"apiBaseUrl": "", "region": region, "userPoolId": outputs["UserPoolId"], "userPoolClientId": outputs["UserPoolClientId"],
          "authFlow": "USER_SRP_AUTH"}

s3 = boto3.client("s3", region_name=region)
bucket = outputs["ConsoleBucketName"]
types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
         ".json": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".png": "image/png"}
uploaded = set()
def put(key, body, content_type, cache):
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, CacheControl=cache)
    uploaded.add(key)
# Assets first, index.html last: a visitor never gets an index.html whose assets are not there yet.
files = sorted((p for p in dist.rglob("*") if p.is_file()), key=lambda p: p.name == "index.html")
for path in files:
    key = path.relative_to(dist).as_posix()
    cache = "public, max-age=31536000, immutable" if key.startswith("assets/") else "no-cache"
    put(key, path.read_bytes(), types.get(path.suffix, mimetypes.guess_type(path.name)[0] or "application/octet-stream"), cache)
put("config.json", json.dumps(config, indent=2).encode(), "application/json", "no-store")
# Files of older builds (hashed names no longer referenced) go; versioning keeps them 30 days.
stale = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
    stale += [{"Key": o["Key"]} for o in page.get("Contents", []) if o["Key"] not in uploaded]
for i in range(0, len(stale), 1000):
    s3.delete_objects(Bucket=bucket, Delete={"Objects": stale[i:i + 1000], "Quiet": True})
cloudfront = boto3.client("cloudfront")
cloudfront.create_invalidation(DistributionId=outputs["ConsoleDistributionId"], InvalidationBatch={
    "Paths": {"Quantity": 3, "Items": ["/index.html", "/config.json", "/"]}, "CallerReference": str(time.time())})
print(f"uploaded {len(uploaded)} files to s3://{bucket}, removed {len(stale)}; console: {outputs['ConsoleUrl']}")
PY
