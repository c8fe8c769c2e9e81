"""Checks on generated deployment files that need botocore / a moto_server, in ONE python process.

stdin: JSON {"endpoint": "http://127.0.0.1:PORT" | null,
             "variants": [{"id": ..., "dir": ...}],
             "stacks":   [{"id": ..., "dir": ..., "stackName": ..., "parameters": {...}}]}
stdout: JSON report {"validation": {id: [errors]}, "moto": {id: {...}}, "stacks": {id: {...}}}

- botocore's ParamValidator (the awscli's client-side check) on ecs/task-definition.json as a RegisterTaskDefinition
  request, and on CreateRole / PutRolePolicy requests built from the IAM JSON files;
- moto: RegisterTaskDefinition from the file and read it back; CreateRole + UpdateAssumeRolePolicy (moto only
  validates trust policies on update) + PutRolePolicy from the files;
- moto CloudFormation: create each given stack in a fresh VPC with two subnets and wait for CREATE_COMPLETE.
"""
import json
import os
import sys
import time

import botocore.session
from botocore.validate import ParamValidator


def read(dir_, rel):
    with open(os.path.join(dir_, rel), encoding="utf-8") as f:
        return f.read()


def validate(session, service, operation, params):
    model = session.get_service_model(service).operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    return [report.generate_report()] if report.has_errors() else []


def role_name(arn):
    return arn.rsplit("/", 1)[1]


def main():
    req = json.load(sys.stdin)
    session = botocore.session.get_session()
    out = {"validation": {}, "moto": {}, "stacks": {}}

    for v in req["variants"]:
        d = v["dir"]
        td = json.loads(read(d, "ecs/task-definition.json"))
        errors = validate(session, "ecs", "RegisterTaskDefinition", td)
        for role_arn, trust_file, policy_file in (
            (td["executionRoleArn"], "ecs/execution-role-trust-policy.json", "ecs/execution-role-policy.json"),
            (td["taskRoleArn"], "ecs/task-role-trust-policy.json", "ecs/task-role-policy.json"),
        ):
            errors += validate(session, "iam", "CreateRole", {"RoleName": role_name(role_arn), "AssumeRolePolicyDocument": read(d, trust_file)})
            errors += validate(
                session, "iam", "PutRolePolicy", {"RoleName": role_name(role_arn), "PolicyName": "p", "PolicyDocument": read(d, policy_file)}
            )
        out["validation"][v["id"]] = errors

    if not req.get("endpoint"):
        json.dump(out, sys.stdout)
        return

    import boto3

    kw = {"endpoint_url": req["endpoint"], "region_name": "us-east-1", "aws_access_key_id": "test", "aws_secret_access_key": "test"}
    ecs = boto3.client("ecs", **kw)
    iam = boto3.client("iam", **kw)
    ec2 = boto3.client("ec2", **kw)
    cfn = boto3.client("cloudformation", **kw)

    for v in req["variants"]:
        d = v["dir"]
        res = {"errors": []}
        td = json.loads(read(d, "ecs/task-definition.json"))
        try:
            reg = ecs.register_task_definition(**td)["taskDefinition"]
            back = ecs.describe_task_definition(taskDefinition=reg["taskDefinitionArn"])["taskDefinition"]
            res["registered"] = {
                k: back.get(k)
                for k in ("family", "revision", "cpu", "memory", "networkMode", "requiresCompatibilities", "executionRoleArn", "taskRoleArn", "runtimePlatform", "volumes")
            }
            res["containers"] = [
                {k: c.get(k) for k in ("name", "essential", "portMappings", "readonlyRootFilesystem", "stopTimeout", "healthCheck", "logConfiguration", "dependsOn", "linuxParameters", "mountPoints", "secrets")}
                for c in back["containerDefinitions"]
            ]
        except Exception as e:  # noqa: BLE001 - report every failure
            res["errors"].append(f"register_task_definition: {e}")

        roles = {}
        for kind, trust_file, policy_file in (
            ("execution", "ecs/execution-role-trust-policy.json", "ecs/execution-role-policy.json"),
            ("task", "ecs/task-role-trust-policy.json", "ecs/task-role-policy.json"),
        ):
            name = role_name(td[f"{kind}RoleArn"])
            trust = read(d, trust_file)
            policy = read(d, policy_file)
            try:
                arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
                iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust)
                statements = json.loads(policy)["Statement"]
                if statements:
                    iam.put_role_policy(RoleName=name, PolicyName=kind, PolicyDocument=policy)
                roles[kind] = {
                    "arn": arn,
                    "policies": iam.list_role_policies(RoleName=name)["PolicyNames"],
                    "trust": iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"],
                }
            except Exception as e:  # noqa: BLE001
                res["errors"].append(f"{kind} role: {e}")
        res["roles"] = roles
        out["moto"][v["id"]] = res

    # The stacks create the same named roles the JSON files just did (as a user would, one or the other): start clean.
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(req["endpoint"] + "/moto-api/reset", method="POST")).read()

    for s in req.get("stacks", []):
        started = time.time()
        res = {"errors": []}
        try:
            vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
            subnets = [
                ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
                for i, az in enumerate("ab")
            ]
            values = {"VpcId": vpc, "SubnetIds": ",".join(subnets), "LoadBalancerSubnetIds": ",".join(subnets)}
            values.update(s.get("parameters", {}))
            body = read(s["dir"], "infra/stack.yaml")
            declared = set()
            # Only pass parameters the template declares (as `aws cloudformation deploy` would refuse others).
            import yaml  # PyYAML ships with the awscli / cfn-lint environment

            class Loader(yaml.SafeLoader):
                pass

            template = yaml.load(body, Loader=Loader)
            declared = set(template.get("Parameters", {}))
            params = [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items() if k in declared]
            cfn.create_stack(StackName=s["stackName"], TemplateBody=body, Parameters=params, Capabilities=["CAPABILITY_NAMED_IAM"])
            status = "CREATE_IN_PROGRESS"
            for _ in range(300):
                status = cfn.describe_stacks(StackName=s["stackName"])["Stacks"][0]["StackStatus"]
                if not status.endswith("_IN_PROGRESS"):
                    break
                time.sleep(0.1)
            stack = cfn.describe_stacks(StackName=s["stackName"])["Stacks"][0]
            res["status"] = status
            res["outputs"] = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
            res["resources"] = sorted(
                (r["LogicalResourceId"], r["ResourceType"], r["ResourceStatus"])
                for r in cfn.list_stack_resources(StackName=s["stackName"])["StackResourceSummaries"]
            )
            elbv2 = boto3.client("elbv2", **kw)
            tgs = elbv2.describe_target_groups()["TargetGroups"]
            res["targetGroups"] = [
                {k: tg.get(k) for k in ("TargetGroupName", "TargetType", "Port", "Protocol", "HealthCheckPath", "VpcId")} for tg in tgs
            ]
            res["listeners"] = [
                {"Port": l["Port"], "Protocol": l["Protocol"], "Actions": [a["Type"] for a in l["DefaultActions"]]}
                for lb in elbv2.describe_load_balancers()["LoadBalancers"]
                for l in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
            ]
            res["vpc"] = vpc
        except Exception as e:  # noqa: BLE001
            res["errors"].append(f"stack: {e}")
        res["seconds"] = round(time.time() - started, 2)
        out["stacks"][s["id"]] = res

    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
