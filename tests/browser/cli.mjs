// The command line shared by the browser scripts: `node <script> <command>
// '<json args>'` runs one of the script's commands and prints its result as
// JSON on stdout; a failure prints the stack on stderr and exits 1, so the
// Rust test that ran it shows why.
export function runCommand(commands) {
  const [command, json] = process.argv.slice(2);
  if (!(command in commands)) {
    process.stderr.write(`unknown command "${command}"; known: ${Object.keys(commands).join(", ")}\n`);
    process.exit(2);
  }
  commands[command](JSON.parse(json)).then(
    (result) => { process.stdout.write(JSON.stringify(result)); },
    (error) => { process.stderr.write(String(error.stack || error) + "\n"); process.exit(1); },
  );
}
