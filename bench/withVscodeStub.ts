/** Imported first by a benchmark that loads extension modules: `require('vscode')` gets the stub. */
import { installVscodeStub } from './vscodeStub';

installVscodeStub();
