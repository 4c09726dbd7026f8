using System.Reflection;
using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.SharedKernel;

public sealed class ApiErrorsShould
{
    [Fact]
    public void ListEveryDefinitionOnce()
    {
        var declared = typeof(ApiErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ApiErrorDefinition))
            .Select(f => (ApiErrorDefinition)f.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Count, ApiErrors.All.Count);
        Assert.All(declared, d => Assert.Contains(d, ApiErrors.All));
        Assert.Equal(ApiErrors.All.Count, ApiErrors.All.Select(e => (e.Status, e.Code)).Distinct().Count());
    }

    [Fact]
    public void PairEachStatusWithItsTypeAndSayWhenInBothLanguages() =>
        Assert.All(ApiErrors.All, e =>
        {
            if (e.Status is 404 or 413 or 415)
            {
                Assert.Equal(OpenAiErrorTypes.InvalidRequest, e.Type); // as OpenAI answers an unknown model, a body too large or of the wrong type
            }
            else
            {
                Assert.Equal(OpenAiErrorTypes.StatusCodeOf(e.Type), e.Status);
            }

            Assert.False(string.IsNullOrWhiteSpace(e.WhenEn));
            Assert.False(string.IsNullOrWhiteSpace(e.WhenTr));
            Assert.NotEqual(e.WhenEn, e.WhenTr);
        });

    [Fact]
    public void MakeTheErrorObjectWithTheDefinitionsTypeAndCode()
    {
        var error = ApiErrors.ModelNotAllowed.With("Not for this key.", "model");

        Assert.Equal(new OpenAiError("Not for this key.", "forbidden", "model", "model_not_allowed"), error);
    }
}
