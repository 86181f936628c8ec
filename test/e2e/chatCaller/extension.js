// Installed in the e2e workbench only (scripts/run-e2e.ts). Calls the tool named in the workspace's
// .vscode/chat-call.json ({"tool", "input"}) with vscode.lm.invokeTool outside a chat request, and appends the
// outcome to chat-outcomes.log in the workspace folder.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('slashidTests.callChatTool', async () => {
      const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
      const call = JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'chat-call.json'), 'utf8'));
      let line;
      try {
        const result = await vscode.lm.invokeTool(call.tool, { input: call.input, toolInvocationToken: undefined });
        line = `result ${result.content.map((part) => part.value || '').join('')}`;
      } catch (err) {
        line = `rejected ${err && err.name}: ${err && err.message}`;
      }
      fs.appendFileSync(path.join(folder, 'chat-outcomes.log'), `${line}\n`);
    }),
  );
};
