import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { importedModules } from '../../src/github/context.js';
import { callbackRegistration } from '../../src/rules/callback-registration.js';
import { addedPatch, completion, createHarness, GitHubMock, HEAD, isolateNetwork, pullRequestPayload } from './helpers.js';

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
beforeEach(() => {
  nock.cleanAll();
  isolateNetwork();
});
afterEach(() => {
  nock.cleanAll();
});

describe('importedModules', () => {
  it('names the repository modules a file imports, relative ones from its package, and skips the standard library', () => {
    const text = [
      'import os, json',
      'import app.models as models',
      'from collections import OrderedDict',
      'from app.signals import Signal, slot',
      'from . import helpers',
      'from ..core.base import (Base,',
      '    Mixin)',
      'from requests import Session  # a third-party package: its paths simply do not exist',
    ].join('\n');
    expect(importedModules('app/ui/panel.py', text)).toEqual([
      'app/models',
      'app/signals',
      'app/signals/Signal',
      'app/signals/slot',
      'app/ui',
      'app/ui/helpers',
      'app/core/base',
      'app/core/base/Base',
      'requests',
      'requests/Session',
    ]);
  });
});

const PANEL = `from app.signals import Signal


class Panel:
    def __init__(self, sensor):
        sensor.changed.connect(self.refresh)

    def refresh(self, value):
        pass


def build_panels(sensors):
    return [Panel(s) for s in sensors]
`;

const SIGNALS = `import weakref


class Signal:
    def connect(self, slot):
        self._slots = [weakref.WeakMethod(slot)]
`;

describe('context files', () => {
  it('reads the modules a changed file imports, so their code decides: a weak connect() is no registration leak', async () => {
    const h = await createHarness({ rules: [callbackRegistration] });
    const mock = new GitHubMock()
      .mockInstallationToken()
      .mockConfig(null)
      .mockCheckList()
      .mockCheckCreate()
      .mockFiles([{ filename: 'app/panel.py', patch: addedPatch(PANEL) }])
      .mockBlobs({ [`${HEAD}:app/panel.py`]: PANEL })
      .mockBlobs({ [`${HEAD}:app/signals.py`]: SIGNALS })
      .mockCheckUpdate();
    await h.receive('pull_request', pullRequestPayload('opened'));
    await h.idle();
    const asked = mock.graphqlQueries.map((q: { variables: Record<string, unknown> }) => Object.entries(q.variables).filter(([k]) => /^e\d+$/.test(k)).map(([, v]) => v));
    expect(asked[1]).toEqual([`${HEAD}:app/signals.py`, `${HEAD}:app/signals/__init__.py`, `${HEAD}:src/app/signals.py`, `${HEAD}:src/app/signals/__init__.py`, `${HEAD}:app/signals/Signal.py`, `${HEAD}:app/signals/Signal/__init__.py`, `${HEAD}:src/app/signals/Signal.py`, `${HEAD}:src/app/signals/Signal/__init__.py`]);
    expect(mock.reviews).toEqual([]);
    expect(completion(mock)).toMatchObject({ conclusion: 'success' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('without the imported module, the registration is reported', async () => {
    const h = await createHarness({ rules: [callbackRegistration] });
    const mock = new GitHubMock()
      .mockInstallationToken()
      .mockConfig(null)
      .mockCheckList()
      .mockCheckCreate()
      .mockFiles([{ filename: 'app/panel.py', patch: addedPatch(PANEL) }])
      .mockBlobs({ [`${HEAD}:app/panel.py`]: PANEL })
      .mockBlobs({})
      .mockReview()
      .mockCheckUpdate();
    await h.receive('pull_request', pullRequestPayload('opened'));
    await h.idle();
    expect(mock.reviews).toHaveLength(1);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
