"""The start-up benchmark's Python peer: what a Python team's collector does before its first LLM request.

It starts, imports the official ``openai`` SDK and ``asyncpg``, connects to the database, opens an
``AsyncOpenAI`` client and sends one chat completion. StartupBenchmark (src/test) times it from the process
start to that request's arrival at its fixed-latency server, exactly as it times the Java application.

    python startup_peer.py --base-url http://127.0.0.1:PORT/v1 --dsn postgresql://postgres@127.0.0.1:5432/db
"""

import argparse
import asyncio

import asyncpg
from openai import AsyncOpenAI


async def first_request(base_url: str, dsn: str, model: str) -> str:
    connection = await asyncpg.connect(dsn)
    try:
        # What a collector reads before its first episode: that its tables are there.
        await connection.fetchval("SELECT count(*) FROM information_schema.tables")
        client = AsyncOpenAI(base_url=base_url, api_key="sk-bench-not-a-real-key")
        try:
            reply = await client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": "Are there anomalies? Answer with submit()."}])
        finally:
            await client.close()
        return reply.choices[0].message.content or ""
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--model", default="gpt-4o-mini")
    args = parser.parse_args()
    answer = asyncio.run(first_request(args.base_url, args.dsn, args.model))
    print(f"answered: {answer[:60]!r}")


if __name__ == "__main__":
    main()
