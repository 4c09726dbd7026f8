using System.Text.Json;
using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.SharedKernel;

public sealed class OpenAiErrorTypesShould
{
    [Theory]
    [InlineData(OpenAiErrorTypes.InvalidRequest, 400)]
    [InlineData(OpenAiErrorTypes.Authentication, 401)]
    [InlineData(OpenAiErrorTypes.InsufficientCredits, 402)]
    [InlineData(OpenAiErrorTypes.Forbidden, 403)]
    [InlineData(OpenAiErrorTypes.RateLimitExceeded, 429)]
    [InlineData(OpenAiErrorTypes.Internal, 500)]
    [InlineData(OpenAiErrorTypes.Provider, 502)]
    public void MapEachTypeToTheStatusOfThePublicErrorTable(string type, int status) =>
        Assert.Equal(status, OpenAiErrorTypes.StatusCodeOf(type));

    [Fact]
    public void SerializeInOpenAisShape()
    {
        var json = JsonSerializer.Serialize(new OpenAiErrorResponse(new OpenAiError("Invalid API key.", OpenAiErrorTypes.Authentication, null, "invalid_api_key")));

        Assert.Equal("""{"error":{"message":"Invalid API key.","type":"auth_error","param":null,"code":"invalid_api_key"}}""", json);
    }
}
