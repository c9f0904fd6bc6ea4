import {
  parseModelVersionsPage,
  parseRegisteredModelsPage,
  parseRun,
} from './mlflow-response.parser.js';

const version = {
  name: 'churn',
  version: '3',
  creation_timestamp: 1767603600000,
  last_updated_timestamp: 1767607200000,
  current_stage: 'Production',
  run_id: 'abc',
  status: 'READY',
};

describe('MLflow responses, read strictly', () => {
  it('reads versions as the proto defines them, unset fields and empty lists omitted', () => {
    const page = parseModelVersionsPage({
      model_versions: [
        version,
        {
          ...version,
          version: '4',
          run_id: undefined,
          current_stage: undefined,
          aliases: ['champion'],
        },
      ],
    });
    expect(page).toEqual({
      items: [
        {
          name: 'churn',
          version: '3',
          creation_timestamp: 1767603600000,
          last_updated_timestamp: 1767607200000,
          current_stage: 'Production',
          run_id: 'abc',
          status: 'READY',
          aliases: [],
        },
        {
          name: 'churn',
          version: '4',
          creation_timestamp: 1767603600000,
          last_updated_timestamp: 1767607200000,
          current_stage: null,
          run_id: null,
          status: 'READY',
          aliases: ['champion'],
        },
      ],
      next_page_token: null,
    });
    // The last page has no token; an empty body is an empty last page.
    expect(parseModelVersionsPage({})).toEqual({ items: [], next_page_token: null });
    expect(parseModelVersionsPage({ next_page_token: '' }).next_page_token).toBeNull();
  });

  it('accepts int64 as proto3 JSON writes it (a digit string)', () => {
    const page = parseRegisteredModelsPage({
      registered_models: [{ name: 'm', creation_timestamp: '1767603600000' }],
      next_page_token: 'tok',
    });
    expect(page).toEqual({
      items: [
        { name: 'm', creation_timestamp: 1767603600000, last_updated_timestamp: null, aliases: [] },
      ],
      next_page_token: 'tok',
    });
  });

  it.each([
    [
      { model_versions: [{ ...version, creation_timestamp: undefined }] },
      'model_versions[0].creation_timestamp must be epoch milliseconds (an integer), got nothing (the field is missing)',
    ],
    [
      { model_versions: [{ ...version, last_updated_timestamp: 1.5 }] },
      'model_versions[0].last_updated_timestamp must be epoch milliseconds (an integer), got number 1.5',
    ],
    [
      { model_versions: [{ ...version, version: 3 }] },
      'model_versions[0].version must be a string, got number 3',
    ],
    [
      { model_versions: [version, { ...version, aliases: 'champion' }] },
      'model_versions[1].aliases must be a list, got "champion"',
    ],
    [{ model_versions: {} }, 'model_versions must be a list, got an object'],
    [[], '(body) must be an object, got a list'],
  ])('names the field: %j', (body, message) => {
    expect(() => parseModelVersionsPage(body)).toThrow(
      `MLflow model-versions/search returned a malformed response: ${message}.`,
    );
  });

  it.each([
    [
      {
        registered_models: [{ name: 'm', creation_timestamp: 1, aliases: [{ alias: 'champion' }] }],
      },
      'registered_models[0].aliases[0].version must be a string, got nothing (the field is missing)',
    ],
    [
      { registered_models: [{ creation_timestamp: 1 }] },
      'registered_models[0].name must be a string, got nothing (the field is missing)',
    ],
    [
      { registered_models: [], next_page_token: 5 },
      'next_page_token must be a string, got number 5',
    ],
  ])('names the field of a registered model: %j', (body, message) => {
    expect(() => parseRegisteredModelsPage(body)).toThrow(
      `MLflow registered-models/search returned a malformed response: ${message}.`,
    );
  });

  it("reads a run's start, a deleted run included", () => {
    expect(
      parseRun({
        run: {
          info: { run_id: 'r1', start_time: 1767600000000, lifecycle_stage: 'deleted' },
          data: {},
        },
      }),
    ).toEqual({
      run_id: 'r1',
      start_time: 1767600000000,
      lifecycle_stage: 'deleted',
    });
    expect(() => parseRun({ run: {} })).toThrow(
      'MLflow runs/get returned a malformed response: run.info must be an object, got nothing (the field is missing).',
    );
  });
});
