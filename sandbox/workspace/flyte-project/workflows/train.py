"""A Flyte 2 workflow. Secret names in TaskEnvironment(...) and @env.task(...) are checked against
the flyte-demo connection (project flytesnacks, domain development), in the runtime's lookup order:
project + domain, then domain, then org. Text like secrets="x" in this docstring is not checked."""

import flyte

env = flyte.TaskEnvironment(
    name="train",
    image=flyte.Image.from_debian_base().with_pip_packages("torch", "wandb"),
    secrets=[
        "hf-token",                                                    # project + domain
        flyte.Secret(key="wandb-key", as_env_var="WANDB_API_KEY"),     # domain-wide
        flyte.Secret(key="openai-key", mount="/etc/flyte/secrets"),    # org-wide
    ],
)


@env.task(secrets="replicate-api-token")  # missing: try the "Create…" lens
async def train(epochs: int = 3) -> float:
    return 0.0


@env.task(secrets=flyte.Secret(key="s3 creds"))  # malformed: spaces aren't allowed in names
async def upload() -> None:
    ...
