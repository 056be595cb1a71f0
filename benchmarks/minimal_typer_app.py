"""The smallest useful Typer app: the reference for P1 (`lrplot --help`)."""

from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def main(name: Annotated[str, typer.Option(help="who to greet")] = "world") -> None:
    """Greet NAME."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
