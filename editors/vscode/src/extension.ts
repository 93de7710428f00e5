// The VS Code side of guardc: it starts `guardc lsp` for policy documents and adds the
// one thing the protocol cannot do alone, asking the user for the call that the
// "Decide a call…" code lens and command decide. Everything else (findings, hover,
// fixes, hints) comes from the server.
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function start(context: vscode.ExtensionContext): LanguageClient {
  const config = vscode.workspace.getConfiguration("guardc");
  const command = config.get<string>("path", "guardc");
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"] },
    debug: { command, args: ["lsp"] },
  };
  const patterns = config.get<string[]>("documents", ["**/controlzero.yaml"]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: patterns.map((pattern) => ({ scheme: "file", pattern })),
    initializationOptions: {
      decideCallLens: true,
      levels: config.get<Record<string, string>>("levels", {}),
    },
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/guardc.toml"),
    },
  };
  const created = new LanguageClient("guardc", "guardc", serverOptions, clientOptions);
  created.start();
  context.subscriptions.push(created);
  return created;
}

async function decideCall(uri?: string): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!client || !target) {
    return;
  }
  const call = await vscode.window.showInputBox({
    prompt: "The call to decide: TOOL or TOOL:METHOD",
    placeHolder: "Bash:sudo apt-get install x",
  });
  if (!call) {
    return;
  }
  const result = await client.sendRequest(ExecuteCommandRequest.type, {
    command: "guardc.decide",
    arguments: [target, call],
  });
  output ??= vscode.window.createOutputChannel("guardc");
  output.appendLine(String(result));
  output.show(true);
}

export function activate(context: vscode.ExtensionContext): void {
  client = start(context);
  context.subscriptions.push(
    vscode.commands.registerCommand("guardc.decideCall", decideCall),
    vscode.commands.registerCommand("guardc.restart", async () => {
      await client?.stop();
      client = start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("guardc")) {
        await client?.stop();
        client = start(context);
      }
    }),
  );
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
